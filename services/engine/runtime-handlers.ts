// The load balancer's live state for the API and the server-wide drain: the services' units, VRRP (cross-checked
// with the VIP really being on an interface), and haproxy's backends and servers from its read-only socket.
// A drain or a return to service answers at once with the state set and the sessions left; waiting for the
// sessions to end (then maint) or for the server to come UP goes on in the background, so the engine never holds
// other changes behind it: the status shows the countdown.
import { loadRunningConfig } from '../config/store.js';
import { readStat } from '../haproxy/queries.js';
import { HaproxyNotRunningError, RuntimeSocket } from '../haproxy/runtime-socket.js';
import { haproxyStatus } from '../haproxy/status.js';
import { startTrafficSampler, type TrafficHistory, type TrafficSampler } from '../haproxy/traffic-history.js';
import { setServerState, type SetServerStateReport } from '../haproxy/drain.js';
import type { ServerPresence } from '../haproxy/sessions.js';
import type { ApplianceService } from '../appliance/service.js';
import { vrrpStatus } from '../appliance/vrrp-status.js';
import type { RenderEnv } from '../render/env.js';
import type { RuntimeHandlers } from './handlers.js';

/** Samples haproxy's counters for the dashboard's charts every `intervalMs` (read-only socket; haproxy down = a gap). */
export function startEngineTrafficSampler(service: ApplianceService, env: RenderEnv, intervalMs: number, log: (line: string) => void = () => {}): TrafficSampler {
	return startTrafficSampler(intervalMs, async () => {
		const config = await loadRunningConfig(service.paths);
		try {
			return { config, stats: await readStat(new RuntimeSocket(env.haproxyUserSocket)) };
		} catch (error) {
			if (error instanceof HaproxyNotRunningError) return { config, stats: null };
			throw error;
		}
	}, { log });
}

export function runtimeHandlers(service: ApplianceService, env: RenderEnv, log: (line: string) => void = () => {}, history?: TrafficHistory): RuntimeHandlers {
	return {
		'status.history': async () => history?.view() ?? { intervalSeconds: 0, times: [], services: [], servers: [] },
		'status.get': async () => {
			const config = await loadRunningConfig(service.paths);
			const [services, haproxy, vrrp] = await Promise.all([service.listServices(), haproxyStatus(env.haproxyUserSocket, config), vrrpStatus(config.ha, env.vrrpStateFile)]);
			return { services: services.services, vrrp, haproxy };
		},
		'servers.setState': async (params, actor) => {
			let firstPresence: (presence: ServerPresence) => void = () => {};
			const progressed = new Promise<ServerPresence>((resolve) => {
				firstPresence = resolve;
			});
			const followed = setServerState(params, {
				commit: (change) => service.changeServerStates(actor, change),
				running: () => loadRunningConfig(service.paths),
				masterSocket: env.haproxyMasterSocket,
				onProgress: (presence) => firstPresence(presence),
			});
			const first = await Promise.race([followed, progressed.then((presence) => ({ presence }))]);
			if (!('presence' in first)) return first;
			followed.then(
				(report: SetServerStateReport) => log(`engine: ${params.role} ${params.index}: ${report.outcome} (${report.sessions} sessions)`),
				(error: unknown) => log(`engine: ${params.role} ${params.index}: following the ${params.state} failed: ${(error as Error).message}`),
			);
			const config = await loadRunningConfig(service.paths);
			const address = first.presence.address;
			return { ...first.presence, role: params.role, index: params.index, state: config.serverStates[address] ?? 'ready', outcome: 'in-progress', sessionsClosed: 0 };
		},
	};
}
