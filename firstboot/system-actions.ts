// Reboot, power off and the status report: the parts of the menu that talk to systemd (execa, argument arrays).
import { execa } from 'execa';

export interface SystemActions {
	/** Lines describing the services and their versions. */
	status(): Promise<string[]>;
	reboot(): Promise<void>;
	powerOff(): Promise<void>;
}

/** Units the status shows: the daemons the appliance runs and our own agents. */
export const statusUnits = ['haproxy', 'stunnel4', 'keepalived', 'systemd-networkd', 'exlb-console'];

const versionCommands: readonly (readonly [string, string, readonly string[], RegExp])[] = [
	['haproxy', 'haproxy', ['-v'], /version (\S+)/],
	['stunnel', 'stunnel', ['-version'], /stunnel (\S+)/],
	['keepalived', 'keepalived', ['--version'], /Keepalived v(\S+)/],
	['node', process.execPath, ['--version'], /v(\S+)/],
];

async function unitState(unit: string): Promise<string> {
	const result = await execa('systemctl', ['show', '--property=LoadState,ActiveState,SubState', '--', unit], { reject: false, timeout: 5000 });
	if (result.exitCode !== 0) return 'unknown (systemctl failed)';
	const fields = Object.fromEntries(result.stdout.split('\n').map((line) => line.split('=', 2) as [string, string]));
	if (fields.LoadState === 'not-found') return 'not installed';
	return `${fields.ActiveState ?? '?'} (${fields.SubState ?? '?'})`;
}

async function version(command: string, args: readonly string[], pattern: RegExp): Promise<string> {
	const result = await execa(command, args, { reject: false, timeout: 5000, all: true });
	return pattern.exec(result.all ?? '')?.[1] ?? 'not found';
}

export const systemdActions: SystemActions = {
	async status() {
		const states = await Promise.all(statusUnits.map(async (unit) => `  ${unit.padEnd(18)} ${await unitState(unit)}`));
		const versions = await Promise.all(versionCommands.map(async ([name, command, args, pattern]) => `  ${name.padEnd(18)} ${await version(command, args, pattern)}`));
		return ['Services:', ...states, 'Versions:', ...versions];
	},
	async reboot() {
		await execa('systemctl', ['reboot'], { timeout: 30_000 });
	},
	async powerOff() {
		await execa('systemctl', ['poweroff'], { timeout: 30_000 });
	},
};
