// The web server of the appliance's REST API: Fastify 5 over HTTPS (TLS 1.2+), request and response schemas from
// the engine protocol (TypeBox, checked by TypeBox's compiler like the engine does), one authentication gate,
// security headers, one error shape. A thin front end: every change is an engine operation.
import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EngineCaller } from '../engine/client.js';
import { registerAuthentication } from './auth/authenticate.js';
import { BearerCache } from './auth/bearer-cache.js';
import { LoginLimiter, defaultLoginLimits, type LoginLimits } from './auth/login-limiter.js';
import { registerSessions } from './auth/session-cookie.js';
import { SessionStore, defaultSessionLimits, type SessionLimits } from './auth/session-store.js';
import type { WebApp, WebContext } from './context.js';
import { registerErrorHandling } from './errors.js';
import { apiDescriptionRoutes, registerApiDescription } from './plugins/api-description.js';
import { registerRequestShape } from './plugins/request-shape.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { webUiRoutes } from './plugins/web-ui.js';
import { auditRoutes } from './routes/audit.js';
import { backupRoutes } from './routes/backup.js';
import { certificateRoutes } from './routes/certificates.js';
import { configRoutes } from './routes/config.js';
import { firmwareRoutes } from './routes/firmware.js';
import { haRoutes } from './routes/ha.js';
import { historyRoutes } from './routes/history.js';
import { servicesRoutes } from './routes/services.js';
import { sessionRoutes } from './routes/session.js';
import { statusRoutes } from './routes/status.js';
import { systemRoutes } from './routes/system.js';
import { tokenRoutes } from './routes/tokens.js';

export interface WebServerOptions {
	readonly engine: EngineCaller;
	/** Key and certificate (PEM); null serves plain HTTP (only for in-process tests with inject()). */
	readonly tls: { readonly key: string; readonly cert: string } | null;
	readonly version: string;
	/** The built browser interface (web-ui/build.ts's output); null, or a directory without it: a page pointing to the API reference. */
	readonly uiDir?: string | null;
	readonly now?: () => number;
	readonly sessionLimits?: SessionLimits;
	readonly loginLimits?: LoginLimits;
	readonly logger?: FastifyServerOptions['logger'];
}

/** JSON bodies are small (a config patch); a certificate upload has its own 64 KiB limit. */
const bodyLimit = 256 * 1024;

export async function buildWebServer(options: WebServerOptions): Promise<WebApp> {
	const now = options.now ?? Date.now;
	const base = {
		// Never trust X-Forwarded-*: the client is whoever holds the TCP connection (CVE-2022-40684's lesson).
		trustProxy: false,
		bodyLimit,
		logger: options.logger ?? { level: 'info' },
		// One journal line per request would fill the in-memory journal; auth decisions and failures are logged.
		logController: new LogController({ disableRequestLogging: true }),
		return503OnClosing: true,
	} satisfies FastifyServerOptions;
	const app = (options.tls === null
		? Fastify(base)
		: Fastify({ ...base, https: { key: options.tls.key, cert: options.tls.cert, minVersion: 'TLSv1.2' } })
	).withTypeProvider<TypeBoxTypeProvider>() as unknown as WebApp;
	app.setValidatorCompiler(TypeBoxValidatorCompiler);

	const context: WebContext = {
		engine: options.engine,
		sessions: new SessionStore(options.sessionLimits ?? defaultSessionLimits, now),
		logins: new LoginLimiter(options.loginLimits ?? defaultLoginLimits, now),
		bearerTokens: new BearerCache(10_000, 256, now),
		now,
	};
	app.decorate('web', context);

	registerErrorHandling(app);
	await registerSecurityHeaders(app);
	registerRequestShape(app);
	await registerApiDescription(app, options.version);
	await registerSessions(app, context.sessions);
	registerAuthentication(app);

	await app.register(async (scope) => apiDescriptionRoutes(scope as WebApp));
	await app.register(async (scope) => webUiRoutes(scope as WebApp, options.uiDir ?? null, options.version));
	await app.register(async (scope) => sessionRoutes(scope as WebApp));
	for (const routes of [configRoutes, historyRoutes, backupRoutes, firmwareRoutes, statusRoutes, certificateRoutes, servicesRoutes, systemRoutes, tokenRoutes, auditRoutes, haRoutes]) {
		await app.register(async (scope) => routes(scope as WebApp));
	}
	return app;
}
