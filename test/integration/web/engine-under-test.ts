// The engine the web server's tests talk to; the only place that knows how it is started. Today: the engine's own
// handlers (services/engine/handlers.ts) over a real appliance service in a temp dir (no daemons driven; the image's
// haproxy/stunnel check each configuration) and the real web accounts and tokens (services/appliance/auth), served by
// EngineServer on a unix socket from this test process. The engine entry (services/engine/main.ts) still wires a
// placeholder for auth; once it wires authHandlers, this helper can start it as a process instead.
import { authHandlers } from '../../../services/appliance/auth/handlers.js';
import { engineHandlers } from '../../../services/engine/handlers.js';
import { runtimeHandlers } from '../../../services/engine/runtime-handlers.js';
import { EngineServer } from '../../../services/engine/server.js';
import type { AppliancePaths } from '../../../services/paths.js';
import { serviceUnderTest } from '../../helpers/appliance-service.js';

export interface EngineUnderTest {
	readonly paths: AppliancePaths;
	readonly socketPath: string;
	/** Reboots, power-offs and unit actions the engine was asked for (no systemd here). */
	readonly systemLog: readonly string[];
	stop(): Promise<void>;
}

export async function startEngineUnderTest(): Promise<EngineUnderTest> {
	const { service, deps, systemLog } = await serviceUnderTest({ lockWaitMs: 30_000 });
	const socketPath = service.paths.engineSocket;
	const server = new EngineServer(engineHandlers(service, authHandlers(service.paths, { audit: deps.audit }), runtimeHandlers(service, deps.apply.env)), {
		socketPath,
		allowedUids: [],
		socketGid: null,
		log: () => {},
	});
	await server.listen();
	return { paths: service.paths, socketPath, systemLog, stop: () => server.close() };
}
