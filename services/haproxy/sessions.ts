// Where one Exchange server stands in the running haproxy: per backend its status and its current sessions, summed
// over every worker. After a reload the old worker keeps serving the sessions it had (long ActiveSync, RPC or IMAP
// connections) while the new one has none of them, so the current worker alone would report a drain as done too soon.
import type { Config } from '../config/schema.js';
import { serversAt, type BackendServer } from '../render/haproxy-servers.js';
import { readProcesses, readServersState, readStat } from './queries.js';
import { HaproxyCommandError, type RuntimeSocket } from './runtime-socket.js';
import { effectiveAdmin, forcedState, type AdminState, type OpState } from './servers-state.js';
import { statNumber, statText, type StatObject } from './stat-typed.js';

export interface BackendPresence {
	readonly backend: string;
	readonly service: BackendServer['service'];
	readonly server: string;
	/** haproxy's own words (current worker): "UP", "DOWN 1/2", "DRAIN", "MAINT (via be_rpc_epm/cas1)", ... */
	readonly status: string;
	/** Whether the current worker has this backend/server (false while a configuration adding it is being applied). */
	readonly loaded: boolean;
	/** The state the server was given itself (current worker). */
	readonly admin: AdminState;
	/** Serving new sessions: running, not in maintenance or drain (its own or inherited). */
	readonly up: boolean;
	/** Current sessions in every worker. */
	readonly sessions: number;
}

export interface ServerPresence {
	readonly address: string;
	/** Sum of the current sessions over its backends and every worker (current and old). */
	readonly sessions: number;
	/** Workers counted (the current one first); old ones are those still finishing sessions after a reload. */
	readonly workers: readonly number[];
	readonly backends: readonly BackendPresence[];
}

/** Current sessions per backend/server of one worker; an old worker that exited meanwhile counts none. */
async function workerSessions(master: RuntimeSocket, pid: number): Promise<StatObject[]> {
	try {
		return await readStat(master, { worker: { pid }, serversOnly: true });
	} catch (error) {
		if (error instanceof HaproxyCommandError) return [];
		throw error;
	}
}

/** The server at `address` in every backend that uses it, through haproxy's master CLI. */
export async function serverPresence(master: RuntimeSocket, config: Config, address: string): Promise<ServerPresence> {
	const pairs = serversAt(config, address);
	const processes = await readProcesses(master);
	const workers = [...processes.workers, ...processes.oldWorkers];
	const [current, ...perWorker] = await Promise.all([
		readServersState(master, 'current'),
		...workers.map((pid) => workerSessions(master, pid)),
	]);
	const status = new Map((perWorker[0] ?? []).map((object) => [`${object.proxy}/${object.name}`, statText(object, 'status')]));
	const sessions = new Map<string, number>();
	for (const objects of perWorker) {
		for (const object of objects) sessions.set(`${object.proxy}/${object.name}`, (sessions.get(`${object.proxy}/${object.name}`) ?? 0) + statNumber(object, 'scur'));
	}
	const rows = new Map(current.rows.map((row) => [`${row.backend}/${row.server}`, row]));
	const backends = pairs.map((pair) => {
		const key = `${pair.backend}/${pair.server}`;
		const row = rows.get(key);
		return {
			backend: pair.backend, service: pair.service, server: pair.server,
			status: status.get(key) ?? (row === undefined ? 'not loaded' : ''),
			loaded: row !== undefined,
			admin: row === undefined ? 'ready' : forcedState(row.adminState),
			up: row !== undefined && isUp(row.opState, row.adminState),
			sessions: sessions.get(key) ?? 0,
		};
	});
	return { address, sessions: backends.reduce((sum, backend) => sum + backend.sessions, 0), workers, backends };
}

/** Running (or starting), and neither in maintenance nor in drain. */
export function isUp(opState: OpState, adminState: number): boolean {
	return (opState === 1 || opState === 2) && effectiveAdmin(adminState) === 'ready';
}
