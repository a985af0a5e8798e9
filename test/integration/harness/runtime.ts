// The runtime layer wired the way the appliance service wires it: a server-state change committed under the apply
// lock (changeRunningConfig) and saved, then followed through haproxy's master CLI; plus per-server counters read on
// the read-only status socket.
import { changeRunningConfig } from '../../../services/appliance/config-changes.js';
import { loadRunningConfig, saveConfig } from '../../../services/config/store.js';
import type { Config } from '../../../services/config/schema.js';
import { setServerState, type SetServerStateRequest, type SetServerStateReport, type DrainDeps } from '../../../services/haproxy/drain.js';
import { readServersState, readStat } from '../../../services/haproxy/queries.js';
import { masterCli } from '../../../services/haproxy/runtime-socket.js';
import { forcedState, type AdminState } from '../../../services/haproxy/servers-state.js';
import { statNumber, statText } from '../../../services/haproxy/stat-typed.js';
import type { EngineUnderTest } from './engine.js';

/** What the appliance service gives setServerState: a locked read-modify-apply of the running config, then a save. */
export function drainDeps(engine: EngineUnderTest, extra: Partial<DrainDeps> = {}): DrainDeps {
	return {
		async commit(change: (running: Config) => Config): Promise<Config> {
			const result = await changeRunningConfig(engine.applyOptions, change);
			await saveConfig(result.config, engine.paths);
			return result.config;
		},
		running: () => loadRunningConfig(engine.paths),
		masterSocket: engine.env.haproxyMasterSocket,
		pollIntervalMs: 100,
		...extra,
	};
}

export function changeServerState(engine: EngineUnderTest, request: SetServerStateRequest, extra: Partial<DrainDeps> = {}): Promise<SetServerStateReport> {
	return setServerState(request, drainDeps(engine, extra));
}

export interface ServerCounters {
	readonly status: string;
	/** Sessions ever given to this server in this backend (this worker). */
	readonly total: number;
	readonly current: number;
}

/**
 * backend/server → counters of the current worker: through the master CLI, since right after a reload the status socket
 * may still be answered by the old worker (whose counters would say nothing about the new one).
 */
export async function serverCounters(engine: EngineUnderTest): Promise<Map<string, ServerCounters>> {
	const stat = await readStat(masterCli(engine.env.haproxyMasterSocket), { serversOnly: true, worker: 'current' });
	return new Map(stat.map((object) => [`${object.proxy}/${object.name}`, { status: statText(object, 'status'), total: statNumber(object, 'stot'), current: statNumber(object, 'scur') }]));
}

/** backend/server → the state the current worker gives the server itself (through the master CLI: never an old worker). */
export async function forcedStates(engine: EngineUnderTest): Promise<Map<string, AdminState>> {
	const dump = await readServersState(masterCli(engine.env.haproxyMasterSocket), 'current');
	return new Map(dump.rows.map((row) => [`${row.backend}/${row.server}`, forcedState(row.adminState)]));
}

/** The entries of `map` whose key ends with `/<server>`. */
export function ofServer<T>(map: Map<string, T>, server: string): [string, T][] {
	return [...map].filter(([key]) => key.endsWith(`/${server}`));
}
