// Reads haproxy's per-server state and counters from its stats socket ("show stat" CSV).
import { masterCommand } from '../../../services/apply/haproxy-master.js';

export interface ServerStat {
	readonly proxy: string;
	readonly server: string;
	readonly status: string;
	/** Total sessions (connections) handled. */
	readonly sessions: number;
	/** Connection attempts retried, and requests redispatched to another server. */
	readonly retries: number;
	readonly redispatches: number;
}

export async function showStat(socket: string): Promise<ServerStat[]> {
	// The stats socket speaks the same one-command protocol as the master CLI.
	const csv = await masterCommand(socket, 'show stat', 5000);
	const [header, ...rows] = csv.trim().split('\n');
	const cols = (header ?? '').replace(/^# /, '').split(',');
	const at = (name: string) => cols.indexOf(name);
	return rows.filter(Boolean).map((row) => {
		const f = row.split(',');
		return {
			proxy: f[at('pxname')]!, server: f[at('svname')]!, status: f[at('status')]!, sessions: Number(f[at('stot')]),
			retries: Number(f[at('wretr')] || 0), redispatches: Number(f[at('wredis')] || 0),
		};
	});
}

/** Status of one server in one backend ("UP", "DOWN", "UP 1/2"…), or undefined if absent. */
export async function serverStatus(socket: string, backend: string, server: string): Promise<string | undefined> {
	return (await showStat(socket)).find((s) => s.proxy === backend && s.server === server)?.status;
}

/** Total sessions per backend (its BACKEND row). */
export async function backendSessions(socket: string): Promise<Map<string, number>> {
	return new Map((await showStat(socket)).filter((s) => s.server === 'BACKEND').map((s) => [s.proxy, s.sessions]));
}

/** Whether `status` holds for every one of `servers` in every one of `backends`. */
async function everyServer(socket: string, backends: readonly string[], servers: readonly string[], holds: (status: string) => boolean): Promise<boolean> {
	const rows = await showStat(socket);
	return backends.every((backend) => servers.every((server) => {
		const status = rows.find((r) => r.proxy === backend && r.server === server)?.status;
		return status !== undefined && holds(status);
	}));
}

/** Whether every one of `servers` is UP in every one of `backends`. */
export function allServersUp(socket: string, backends: readonly string[], servers: readonly string[]): Promise<boolean> {
	return everyServer(socket, backends, servers, (status) => status.startsWith('UP'));
}

/**
 * Whether every one of `servers` is UP at full health in every one of `backends` ("UP", not "UP 1/3"). A server haproxy
 * has just started with is UP at the lowest health: one failed check marks it DOWN (and cuts what is connecting to it).
 */
export function allServersHealthy(socket: string, backends: readonly string[], servers: readonly string[]): Promise<boolean> {
	return everyServer(socket, backends, servers, (status) => status === 'UP');
}
