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

/** Name, the programs to try (Debian names stunnel "stunnel4" too), their version flag, where the version is. */
const versionCommands: readonly (readonly [string, readonly string[], readonly string[], RegExp])[] = [
	['haproxy', ['haproxy'], ['-v'], /version (\S+)/],
	['stunnel', ['stunnel4', 'stunnel'], ['-version'], /stunnel (\S+)/],
	['keepalived', ['keepalived'], ['--version'], /Keepalived v(\S+)/],
	['node', [process.execPath], ['--version'], /v(\S+)/],
];

async function unitState(unit: string): Promise<string> {
	const result = await tryCommand('systemctl', ['show', '--property=LoadState,ActiveState,SubState', '--', unit], { timeoutMs: queryTimeoutMs });
	if (result.exitCode !== 0) return 'unknown (systemctl failed)';
	const fields = Object.fromEntries(result.stdout.split('\n').map((line) => line.split('=', 2) as [string, string]));
	if (fields.LoadState === 'not-found') return 'not installed';
	return `${fields.ActiveState ?? '?'} (${fields.SubState ?? '?'})`;
}

async function version(commands: readonly string[], args: readonly string[], pattern: RegExp): Promise<string> {
	for (const command of commands) {
		const result = await tryCommand(command, args, { timeoutMs: queryTimeoutMs });
		const found = pattern.exec(result.output)?.[1];
		if (found !== undefined) return found;
	}
	return 'not found';
}

export const systemdActions: SystemActions = {
	async status() {
		const listed = await tryCommand('systemctl', ['list-units', '--all', '--plain', '--no-legend', '--type=service', '--', stunnelPattern], {
			timeoutMs: queryTimeoutMs,
		});
		const stunnels = listed.stdout.split('\n').map((line) => line.trim().split(/\s+/)[0] ?? '').filter((unit) => unit.startsWith('stunnel@'));
		const units = [...statusUnits, ...stunnels.map((unit) => unit.replace(/\.service$/, ''))];
		const states = await Promise.all(units.map(async (unit) => `  ${unit.padEnd(22)} ${await unitState(unit)}`));
		if (stunnels.length === 0) states.push(`  ${'stunnel'.padEnd(22)} no TLS offload configured`);
		const versions = await Promise.all(versionCommands.map(async ([name, commands, args, pattern]) => `  ${name.padEnd(22)} ${await version(commands, args, pattern)}`));
		return ['Services:', ...states, 'Versions:', ...versions];
	},
	async reboot() {
		await runCommand('systemctl', ['reboot'], { timeoutMs: shutdownTimeoutMs });
	},
	async powerOff() {
		await runCommand('systemctl', ['poweroff'], { timeoutMs: shutdownTimeoutMs });
	},
};
