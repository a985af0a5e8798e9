// `show servers state` (the server-state file's format, version 1): one line per server with its operational state
// and its administrative state bits, the columns named by the header line.
import { UnexpectedAnswerError } from './answer-error.js';

/** srv_admin_state bits (haproxy's enum srv_admin). F = forced from the CLI, C = config, I = inherited (track), R/H = DNS. */
export const adminBits = { FMAINT: 0x01, IMAINT: 0x02, CMAINT: 0x04, FDRAIN: 0x08, IDRAIN: 0x10, RMAINT: 0x20, HMAINT: 0x40 } as const;
/** Bits that keep a server out of traffic and checks (CMAINT alone only records the config's `disabled`). */
const maintMask = adminBits.FMAINT | adminBits.IMAINT | adminBits.RMAINT | adminBits.HMAINT;
const drainMask = adminBits.FDRAIN | adminBits.IDRAIN;

/** srv_op_state: 0 stopped (down), 1 starting, 2 running, 3 stopping. */
export type OpState = 0 | 1 | 2 | 3;

/** The administrative state an admin sets (ready = none). */
export type AdminState = 'ready' | 'drain' | 'maint';

export interface ServerStateRow {
	readonly backend: string;
	readonly server: string;
	readonly address: string;
	readonly port: number;
	readonly opState: OpState;
	readonly adminState: number;
	/** Every column as printed, in header order (a state file is written from these). */
	readonly fields: readonly string[];
}

export interface ServersStateDump {
	readonly version: 1;
	/** Column names, from the `# be_id be_name ...` line. */
	readonly columns: readonly string[];
	readonly rows: readonly ServerStateRow[];
}

/** Columns a version-1 line has at least (up to srvrecord); haproxy refuses shorter lines. */
export const minimumColumns = 20;
const command = 'show servers state';

export function parseServersState(text: string): ServersStateDump {
	const lines = text.split('\n').filter((line) => line.trim() !== '');
	if (lines[0]?.trim() !== '1') throw new UnexpectedAnswerError(command, lines[0] ?? '');
	const header = lines[1];
	if (header === undefined || !header.startsWith('# ')) throw new UnexpectedAnswerError(command, header ?? '');
	const columns = header.slice(2).trim().split(/\s+/);
	const at = (name: string) => {
		const index = columns.indexOf(name);
		if (index < 0) throw new UnexpectedAnswerError(command, header);
		return index;
	};
	const index = { backend: at('be_name'), server: at('srv_name'), address: at('srv_addr'), port: at('srv_port'), op: at('srv_op_state'), admin: at('srv_admin_state') };
	const rows = lines.slice(2).map((line) => {
		const fields = line.trim().split(/\s+/);
		const opState = Number(fields[index.op]);
		if (fields.length < minimumColumns || ![0, 1, 2, 3].includes(opState) || !/^\d+$/.test(fields[index.admin] ?? '')) {
			throw new UnexpectedAnswerError(command, line);
		}
		return {
			backend: fields[index.backend]!, server: fields[index.server]!, address: fields[index.address]!, port: Number(fields[index.port]),
			opState: opState as OpState, adminState: Number(fields[index.admin]), fields,
		};
	});
	return { version: 1, columns, rows };
}

/** The state an admin gave this server itself (inherited bits from a tracked server are not its own). */
export function forcedState(adminState: number): AdminState {
	if (adminState & adminBits.FMAINT) return 'maint';
	if (adminState & adminBits.FDRAIN) return 'drain';
	return 'ready';
}

/** Whether the server is kept out of traffic (maintenance of any origin) or out of load balancing (drain of any origin). */
export function effectiveAdmin(adminState: number): AdminState {
	if (adminState & maintMask) return 'maint';
	if (adminState & drainMask) return 'drain';
	return 'ready';
}
