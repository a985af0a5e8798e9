// The engine as exlb-engine.service runs it: the appliance service on this machine's apply options, its audit log
// and web accounts, and every handler behind the engine socket. Composed here once, for the engine's entry
// (services/engine/main.ts) and for the tests and benchmarks that run the engine inside their own process.
import type { ApplyOptions } from '../apply/apply.js';
import { AuditLog } from '../appliance/audit-log.js';
import { authHandlers } from '../appliance/auth/handlers.js';
import { ApplianceService } from '../appliance/service.js';
import type { SystemControl } from '../appliance/system-control.js';
import type { FirmwarePlatform } from '../firmware/platform.js';
import { engineHandlers } from './handlers.js';
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
	/** The firmware's slots and boot state (default: the appliance's). */
	readonly firmwarePlatform?: () => FirmwarePlatform;
}

export interface Engine {
	readonly service: ApplianceService;
	readonly server: EngineServer;
	readonly sampler: TrafficSampler;
}

export function composeEngine(parts: EngineParts): Engine {
	const { paths, env } = parts.apply;
	const audit = new AuditLog(paths.auditLog, parts.auditJournal);
	const service = new ApplianceService({
		apply: parts.apply,
		system: parts.system,
		audit,
		release: parts.release,
		accountFiles: [paths.adminPasswordFile, paths.apiTokensFile],
		log: parts.log,
		...(parts.firmwarePlatform === undefined ? {} : { firmwarePlatform: parts.firmwarePlatform }),
	});
	const sampler = startEngineTrafficSampler(service, env, parts.historyIntervalMs, parts.log);
	const handlers = engineHandlers(service, authHandlers(paths, { audit }), runtimeHandlers(service, env, parts.log, sampler.history));
	return { service, server: new EngineServer(handlers, { ...parts.socket, log: parts.log }), sampler };
}
