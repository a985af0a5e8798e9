// haproxy's status for the API, read on the read-only `level user` socket and named the way the model names things:
// per backend its Exchange service and server role, per server its role, number and address, its state
// (UP/DOWN/DRAIN/MAINT), last health check and sessions; per Exchange server (address) the sum over its backends;
// per frontend the sessions and rates a dashboard plots. haproxy not running is a state of its own.
import type { Config } from '../config/schema.js';
import { backendServers, haproxyBackends, type BackendService, type ServerRole } from '../render/haproxy-servers.js';
import { readInfo, readServersState, readStat } from './queries.js';
import { HaproxyNotRunningError, RuntimeSocket } from './runtime-socket.js';
import { effectiveAdmin, forcedState, type AdminState, type OpState, type ServerStateRow } from './servers-state.js';
import { statNumber, statText, type StatObject } from './stat-typed.js';
import { desiredState } from './state-file.js';

/** UP: takes new sessions; DOWN: failed its checks; DRAIN: only persistent sessions (drain, or haproxy's NOLB); MAINT: none. */
export type ServerCondition = 'UP' | 'DOWN' | 'DRAIN' | 'MAINT';

export interface HealthCheck {
	/** haproxy's check status code (L7OK, L4CON, L7STS, INI, ...), '' before the first check. */
	readonly status: string;
	/** HTTP status or other code of the last check (null when none). */
	readonly code: number | null;
	/** Human-readable meaning of the status ("Layer7 check passed"). */
	readonly description: string;
	/** What the server answered, or the error ("HTTP status check returned code <503>"). */
	readonly lastCheck: string;
	readonly durationMs: number | null;
}

export interface ServerStatus {
	readonly server: string;
	readonly role: ServerRole;
	readonly index: number;
	readonly address: string;
	readonly state: ServerCondition;
	/** The state the server was given itself (an inherited one, through `track`, shows in `state` only). */
	readonly admin: AdminState;
	/** haproxy's own status text: "UP", "UP 1/3" (going down), "DOWN 1/2" (going up), "NOLB", "MAINT (via ...)". */
	readonly detail: string;
	readonly check: HealthCheck;
	readonly sessions: { readonly current: number; readonly max: number; readonly total: number; readonly perSecond: number };
	readonly lastChangeSeconds: number;
	readonly downtimeSeconds: number;
}

export interface BackendStatus {
	readonly backend: string;
	readonly service: BackendService;
	readonly role: ServerRole;
	/** haproxy's: UP while at least one server takes sessions. */
	readonly status: string;
	readonly sessions: number;
	readonly totalSessions: number;
	readonly servers: readonly ServerStatus[];
}

export interface FrontendStatus {
	readonly frontend: string;
	/** OPEN, or STOP / FULL. */
	readonly status: string;
	readonly sessions: number;
	readonly sessionLimit: number;
	readonly totalSessions: number;
	/** New connections per second (last second). */
	readonly connectionsPerSecond: number;
	/** HTTP requests per second (HTTP frontends; 0 for TCP). */
	readonly requestsPerSecond: number;
	readonly bytesIn: number;
	readonly bytesOut: number;
}

/** One Exchange server (address) over all its backends. */
export interface ExchangeServerStatus {
	readonly address: string;
	/** CAS n and/or HUB n (a 2010 multi-role server has both). */
	readonly roles: readonly { readonly role: ServerRole; readonly index: number }[];
	/** The state kept in the configuration. */
	readonly configured: AdminState;
	/** The states haproxy has for it (one entry when every backend agrees). */
	readonly running: readonly AdminState[];
	readonly sessions: number;
	readonly backends: number;
	readonly backendsUp: number;
}

export type HaproxyStatus =
	| { readonly running: false; readonly reason: string }
	| {
		readonly running: true;
		readonly version: string;
		readonly pid: number;
		readonly uptimeSeconds: number;
		/** haproxy has exactly the backends, servers and addresses the configuration renders (false while an apply is under way). */
		readonly inSync: boolean;
		readonly frontends: readonly FrontendStatus[];
		readonly backends: readonly BackendStatus[];
		readonly exchangeServers: readonly ExchangeServerStatus[];
	};

/** The state shown for a server: administrative state first, then health. */
export function serverCondition(opState: OpState, adminState: number): ServerCondition {
	const admin = effectiveAdmin(adminState);
	if (admin === 'maint') return 'MAINT';
	if (admin === 'drain' || opState === 3) return 'DRAIN';
	return opState === 0 ? 'DOWN' : 'UP';
}

const nullable = (object: StatObject, field: string) => (object.fields.get(field) === '' || !object.fields.has(field) ? null : statNumber(object, field));

function healthCheck(object: StatObject | undefined): HealthCheck {
	if (object === undefined) return { status: '', code: null, description: '', lastCheck: '', durationMs: null };
	return {
		status: statText(object, 'check_status'), code: nullable(object, 'check_code'), description: statText(object, 'check_desc'),
		lastCheck: statText(object, 'last_chk'), durationMs: nullable(object, 'check_duration'),
	};
}

function serverStatus(entry: ReturnType<typeof backendServers>[number], row: ServerStateRow | undefined, stat: StatObject | undefined): ServerStatus {
	const number = (field: string) => (stat === undefined ? 0 : statNumber(stat, field));
	return {
		server: entry.server, role: entry.role, index: entry.index, address: entry.address,
		state: row === undefined ? 'DOWN' : serverCondition(row.opState, row.adminState),
		admin: row === undefined ? 'ready' : forcedState(row.adminState),
		detail: stat === undefined ? 'not loaded' : statText(stat, 'status'),
		check: healthCheck(stat),
		sessions: { current: number('scur'), max: number('smax'), total: number('stot'), perSecond: number('rate') },
		lastChangeSeconds: number('lastchg'), downtimeSeconds: number('downtime'),
	};
}

function frontendStatus(object: StatObject): FrontendStatus {
	return {
		frontend: object.proxy, status: statText(object, 'status'), sessions: statNumber(object, 'scur'), sessionLimit: statNumber(object, 'slim'),
		totalSessions: statNumber(object, 'stot'), connectionsPerSecond: statNumber(object, 'conn_rate'), requestsPerSecond: statNumber(object, 'req_rate'),
		bytesIn: statNumber(object, 'bin'), bytesOut: statNumber(object, 'bout'),
	};
}

function exchangeServers(config: Config, backends: readonly BackendStatus[]): ExchangeServerStatus[] {
	const addresses = [...new Set([...config.casServers, ...config.hubServers])];
	return addresses.map((address) => {
		const servers = backends.flatMap((backend) => backend.servers.filter((server) => server.address === address));
		const roles = (['cas', 'hub'] as const).flatMap((role) => {
			const index = (role === 'cas' ? config.casServers : config.hubServers).indexOf(address);
			return index < 0 ? [] : [{ role, index: index + 1 }];
		});
		return {
			address, roles, configured: desiredState(config, address), running: [...new Set(servers.map((server) => server.admin))],
			sessions: servers.reduce((sum, server) => sum + server.sessions.current, 0),
			backends: servers.length, backendsUp: servers.filter((server) => server.state === 'UP').length,
		};
	});
}

/** The whole status (three `show` commands on the read-only socket); `{ running: false }` when haproxy does not answer. */
export async function haproxyStatus(socketPath: string, config: Config): Promise<HaproxyStatus> {
	const socket = new RuntimeSocket(socketPath);
	let answers;
	try {
		answers = await Promise.all([readInfo(socket), readStat(socket), readServersState(socket)]);
	} catch (error) {
		if (error instanceof HaproxyNotRunningError) return { running: false, reason: error.message };
		throw error;
	}
	const [info, stat, state] = answers;
	const stats = new Map(stat.map((object) => [`${object.type} ${object.proxy}/${object.name}`, object]));
	const rows = new Map(state.rows.map((row) => [`${row.backend}/${row.server}`, row]));
	const entries = backendServers(config);
	const backends = haproxyBackends(config).map((plan) => {
		const total = stats.get(`backend ${plan.backend}/BACKEND`);
		const servers = entries.filter((entry) => entry.backend === plan.backend)
			.map((entry) => serverStatus(entry, rows.get(`${entry.backend}/${entry.server}`), stats.get(`server ${entry.backend}/${entry.server}`)));
		return {
			...plan, status: total === undefined ? 'not loaded' : statText(total, 'status'),
			sessions: total === undefined ? 0 : statNumber(total, 'scur'), totalSessions: total === undefined ? 0 : statNumber(total, 'stot'), servers,
		};
	});
	const loaded = new Set(state.rows.map((row) => `${row.backend}/${row.server} ${row.address}`));
	const rendered = new Set(entries.map((entry) => `${entry.backend}/${entry.server} ${entry.address}`));
	return {
		running: true,
		version: info.get('Version') ?? '',
		pid: Number(info.get('Pid') ?? 0),
		uptimeSeconds: Number(info.get('Uptime_sec') ?? 0),
		inSync: loaded.size === rendered.size && [...rendered].every((key) => loaded.has(key)),
		frontends: stat.filter((object) => object.type === 'frontend').map(frontendStatus),
		backends,
		exchangeServers: exchangeServers(config, backends),
	};
}
