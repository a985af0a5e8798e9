// The appliance's systemd, as the service layer needs it: a unit's state, start/stop/restart/reload of a unit,
// reboot and power-off. On a build host or in tests (no systemd) the "none" control answers for units that are
// not there and records reboot/power-off requests instead of carrying them out.
import { runCommand, tryCommand } from '../os/exec.js';

export type UnitAction = 'start' | 'stop' | 'restart' | 'reload';

export interface UnitState {
	readonly unit: string;
	/** systemd's ActiveState (active, inactive, failed, ...), or "not-found". */
	readonly active: string;
	readonly sub: string;
	/** UnitFileState: enabled, disabled, static, ... */
	readonly enabled: string;
}

export interface SystemControl {
	unitStates(units: readonly string[]): Promise<UnitState[]>;
	/** Units matching a glob (stunnel@exlb-*.service), loaded or not. */
	unitsMatching(pattern: string): Promise<string[]>;
	control(unit: string, action: UnitAction): Promise<void>;
	reboot(): Promise<void>;
	powerOff(): Promise<void>;
}

const queryTimeoutMs = 10_000;
const controlTimeoutMs = 90_000;

/** `systemctl show` output with several units: blank-line separated blocks of KEY=value. */
export function unitStatesIn(units: readonly string[], output: string): UnitState[] {
	const blocks = output.split(/\n\n+/).map((block) => Object.fromEntries(block.split('\n').filter(Boolean).map((line) => {
		const at = line.indexOf('=');
		return [line.slice(0, at), line.slice(at + 1)];
	})) as Record<string, string>);
	return units.map((unit, index) => {
		const fields = blocks[index] ?? {};
		const missing = fields.LoadState === 'not-found' || fields.LoadState === undefined;
		return { unit, active: missing ? 'not-found' : (fields.ActiveState ?? 'unknown'), sub: fields.SubState ?? '', enabled: fields.UnitFileState ?? '' };
	});
}

export const systemdControl: SystemControl = {
	async unitStates(units) {
		if (units.length === 0) return [];
		const output = await runCommand('systemctl', ['show', '--property=LoadState,ActiveState,SubState,UnitFileState', '--', ...units], { timeoutMs: queryTimeoutMs });
		return unitStatesIn(units, output);
	},
	async unitsMatching(pattern) {
		const listed = await tryCommand('systemctl', ['list-units', '--all', '--plain', '--no-legend', '--type=service', '--', pattern], { timeoutMs: queryTimeoutMs });
		return listed.stdout.split('\n').map((line) => line.trim().split(/\s+/)[0] ?? '').filter((unit) => unit.endsWith('.service'));
	},
	async control(unit, action) {
		await runCommand('systemctl', [action, '--', unit], { timeoutMs: controlTimeoutMs });
	},
	reboot: () => afterAMoment('reboot'),
	powerOff: () => afterAMoment('poweroff'),
};

/**
 * Reboot or power off one second from now, by a transient systemd timer: the request that asked for it gets its
 * answer first (an immediate `systemctl reboot` stopped the web server before its 202 left: "fetch failed").
 * A refusal (no systemd, not allowed) still fails here, at once.
 */
async function afterAMoment(action: 'reboot' | 'poweroff'): Promise<void> {
	await runCommand('systemd-run', ['--quiet', '--on-active=1s', '--timer-property=AccuracySec=100ms', '--', 'systemctl', action], { timeoutMs: queryTimeoutMs });
}

/** No systemd (build host, tests): nothing is installed; reboot and power-off are only logged. */
export function noSystemControl(log: (line: string) => void): SystemControl {
	return {
		async unitStates(units) {
			return units.map((unit) => ({ unit, active: 'not-found', sub: '', enabled: '' }));
		},
		async unitsMatching() {
			return [];
		},
		async control(unit, action) {
			log(`no systemd on this machine: ${action} ${unit} not done`);
		},
		async reboot() {
			log('no systemd on this machine: reboot not done');
		},
		async powerOff() {
			log('no systemd on this machine: power-off not done');
		},
	};
}
