// Reboot, power off and the status report: the parts of the menu that talk to systemd (argument arrays only).
import { runCommand, tryCommand } from '../services/os/exec.js';

/** A status query must not keep the menu waiting. */
const queryTimeoutMs = 5000;
/** systemctl reboot/poweroff return once the job is queued. */
const shutdownTimeoutMs = 30_000;

export interface SystemActions {
	/** Lines describing the services and their versions. */
	status(): Promise<string[]>;
	reboot(): Promise<void>;
	powerOff(): Promise<void>;
}

/** Units the status always shows; stunnel runs as stunnel@exlb-<service> per offloaded service (services/apply). */
export const statusUnits = ['haproxy', 'keepalived', 'systemd-networkd', 'exlb-console'];
const stunnelPattern = 'stunnel@exlb-*.service';

/** The programs the status shows, the commands to try (Debian names stunnel "stunnel4" too), their version flag. */
const versionCommands: readonly (readonly [string, readonly string[], readonly string[]])[] = [
	['haproxy', ['haproxy'], ['-v']],
	['stunnel', ['stunnel4', 'stunnel'], ['-version']],
	['keepalived', ['keepalived'], ['--version']],
	['node', [process.execPath], ['--version']],
];

/** Where each program prints its version. */
const versionPatterns: Readonly<Record<string, RegExp>> = {
	haproxy: /version (\S+)/,
	stunnel: /stunnel (\S+)/,
	keepalived: /Keepalived v(\S+)/,
	node: /v(\S+)/,
};

/** The version in what `program` printed for its version flag, or undefined. */
export function versionIn(program: string, output: string): string | undefined {
	return versionPatterns[program]?.exec(output)?.[1];
}

/** A unit's state as the status shows it, from `systemctl show --property=LoadState,ActiveState,SubState` output. */
export function unitStateIn(showOutput: string): string {
	const fields = Object.fromEntries(showOutput.split('\n').map((line) => line.split('=', 2) as [string, string]));
	if (fields.LoadState === 'not-found') return 'not installed';
	return `${fields.ActiveState ?? '?'} (${fields.SubState ?? '?'})`;
}

/** The stunnel@ units named in `systemctl list-units --plain --no-legend` output, without ".service". */
export function stunnelUnitsIn(listOutput: string): string[] {
	return listOutput
		.split('\n')
		.map((line) => line.trim().split(/\s+/)[0] ?? '')
		.filter((unit) => unit.startsWith('stunnel@'))
		.map((unit) => unit.replace(/\.service$/, ''));
}

const row = (name: string, value: string) => `  ${name.padEnd(22)} ${value}`;

/** The menu's status screen: each unit and its state (a note when no stunnel runs), then each program's version. */
export function statusLines(units: readonly (readonly [string, string])[], versions: readonly (readonly [string, string])[]): string[] {
	const noStunnel = units.some(([unit]) => unit.startsWith('stunnel@')) ? [] : [row('stunnel', 'no TLS offload configured')];
	return ['Services:', ...units.map(([unit, state]) => row(unit, state)), ...noStunnel, 'Versions:', ...versions.map(([name, found]) => row(name, found))];
}

async function unitState(unit: string): Promise<string> {
	const result = await tryCommand('systemctl', ['show', '--property=LoadState,ActiveState,SubState', '--', unit], { timeoutMs: queryTimeoutMs });
	return result.exitCode === 0 ? unitStateIn(result.stdout) : 'unknown (systemctl failed)';
}

async function version(program: string, commands: readonly string[], args: readonly string[]): Promise<string> {
	for (const command of commands) {
		const result = await tryCommand(command, args, { timeoutMs: queryTimeoutMs });
		const found = versionIn(program, result.output);
		if (found !== undefined) return found;
	}
	return 'not found';
}

export const systemdActions: SystemActions = {
	async status() {
		const listed = await tryCommand('systemctl', ['list-units', '--all', '--plain', '--no-legend', '--type=service', '--', stunnelPattern], {
			timeoutMs: queryTimeoutMs,
		});
		const units = [...statusUnits, ...stunnelUnitsIn(listed.stdout)];
		const states = await Promise.all(units.map(async (unit) => [unit, await unitState(unit)] as const));
		const versions = await Promise.all(versionCommands.map(async ([program, commands, args]) => [program, await version(program, commands, args)] as const));
		return statusLines(states, versions);
	},
	async reboot() {
		await runCommand('systemctl', ['reboot'], { timeoutMs: shutdownTimeoutMs });
	},
	async powerOff() {
		await runCommand('systemctl', ['poweroff'], { timeoutMs: shutdownTimeoutMs });
	},
};
