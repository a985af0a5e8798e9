// The engine as exlb-engine.service composes it (appliance service, handlers, unix socket), inside the test's process
// with the integration site's apply options: its daemons (the image's stunnel and haproxy) run in the balancer's
// network namespace. The web server under test talks to it as on the appliance.
import path from 'node:path';
import { AuditLog } from '../../../services/appliance/audit-log.js';
import { authHandlers } from '../../../services/appliance/auth/handlers.js';
import { ApplianceService } from '../../../services/appliance/service.js';
import { noSystemControl } from '../../../services/appliance/system-control.js';
import { engineHandlers } from '../../../services/engine/handlers.js';
import { runtimeHandlers, startEngineTrafficSampler } from '../../../services/engine/runtime-handlers.js';
import { EngineServer } from '../../../services/engine/server.js';
import type { Site } from '../harness/site.js';
import type { EngineUnderTest } from './engine-under-test.js';

/** `historyIntervalMs`: how often the traffic history is sampled (the appliance: 10 s; a test wants its charts sooner). */
export async function startSiteEngine(site: Site, historyIntervalMs = 10_000): Promise<EngineUnderTest> {
	const { paths, env } = site.engine.applyOptions;
	const engineLog: string[] = [];
	const log = (line: string) => engineLog.push(line);
	const audit = new AuditLog(paths.auditLog, () => {});
	const service = new ApplianceService({
		apply: site.engine.applyOptions,
		system: noSystemControl(log),
		audit,
		release: { version: '9.9.9', buildDate: '2026-01-01' },
		accountFiles: [paths.adminPasswordFile, paths.apiTokensFile],
		log,
	});
	const socketPath = path.join(site.dir, 'engine.sock');
	const sampler = startEngineTrafficSampler(service, env, historyIntervalMs, log);
	const server = new EngineServer(engineHandlers(service, authHandlers(paths, { audit }), runtimeHandlers(service, env, log, sampler.history)), { socketPath, allowedUids: [], socketGid: null, log });
	await server.listen();
	return {
		paths,
		socketPath,
		get systemLog() {
			return engineLog.filter((line) => line.startsWith('no systemd on this machine'));
		},
		stop: async () => {
			sampler.stop();
			await server.close();
		},
	};
}
