// The engine as exlb-engine.service runs it: the appliance service on this machine's apply options, its audit log
// and web accounts, the HA pair (services/ha) beside it, and every handler behind the engine socket. Composed here
// once, for the engine's entry (services/engine/main.ts) and for the tests and benchmarks that run the engine inside
// their own process.
import type { ApplyOptions } from '../apply/apply.js';
import { AuditLog } from '../appliance/audit-log.js';
import { authHandlers } from '../appliance/auth/handlers.js';
import type { ApplianceHooks } from '../appliance/hooks.js';
import { ApplianceService } from '../appliance/service.js';
import type { SystemControl } from '../appliance/system-control.js';
import { vrrpStatus } from '../appliance/vrrp-status.js';
import { loadRunningConfig } from '../config/store.js';
import type { FirmwarePlatform } from '../firmware/platform.js';
import { HaService } from '../ha/ha-service.js';
import { serverRefOf } from '../haproxy/server-states.js';
import { engineHandlers } from './handlers.js';
import { haHandlers } from './ha-handlers.js';
import { runtimeHandlers, startEngineTrafficSampler } from './runtime-handlers.js';
import type { TrafficSampler } from '../haproxy/traffic-history.js';
import { EngineServer, type EngineServerOptions } from './server.js';

export interface EngineParts {
	readonly apply: ApplyOptions;
	readonly system: SystemControl;
	readonly release: { readonly version: string; readonly buildDate: string };
	readonly log: (line: string) => void;
	/** Where audit lines go besides the audit file (default: stderr, the journal). */
	readonly auditJournal?: (line: string) => void;
	readonly socket: Omit<EngineServerOptions, 'log'>;
	/** How often the dashboard's traffic history is sampled (the appliance: 10 s; a test wants its charts sooner). */
	readonly historyIntervalMs: number;
	/** Retry delays of the HA pair's sends (tests shorten them; default 1, 2, 5, 10, 30 s). */
	readonly haRetryDelaysMs?: readonly number[];
	/** The firmware's slots and boot state (default: the appliance's). */
	readonly firmwarePlatform?: () => FirmwarePlatform;
}

export interface Engine {
	readonly service: ApplianceService;
	readonly server: EngineServer;
	readonly sampler: TrafficSampler;
	/** The HA pair; its peer channel listens once started (HaService.start). */
	readonly ha: HaService;
}

export function composeEngine(parts: EngineParts): Engine {
	const { paths, env } = parts.apply;
	const audit = new AuditLog(paths.auditLog, parts.auditJournal);
	const hooks: ApplianceHooks = {};
	const service = new ApplianceService({
		apply: parts.apply,
		system: parts.system,
		audit,
		release: parts.release,
		accountFiles: [paths.adminPasswordFile, paths.apiTokensFile, paths.haPairingFile],
		log: parts.log,
		hooks,
		...(parts.firmwarePlatform === undefined ? {} : { firmwarePlatform: parts.firmwarePlatform }),
	});
	const sampler = startEngineTrafficSampler(service, env, parts.historyIntervalMs, parts.log);
	const runtime = runtimeHandlers(service, env, parts.log, sampler.history);
	const ha = new HaService({
		paths, env, appliance: service, audit, firmwareVersion: parts.release.version, log: parts.log,
		vrrp: (config) => vrrpStatus(config.ha, env.vrrpStateFile),
		setServerState: async (address, state, actor) => {
			const ref = serverRefOf(await loadRunningConfig(paths), address);
			await runtime['servers.setState']({ ...ref, state }, actor);
		},
		...(parts.haRetryDelaysMs ? { retryDelaysMs: parts.haRetryDelaysMs } : {}),
	});
	Object.assign(hooks, ha.hooks());
	const handlers = engineHandlers(service, authHandlers(paths, { audit }), runtime, haHandlers(ha));
	return { service, server: new EngineServer(handlers, { ...parts.socket, log: parts.log }), sampler, ha };
}
