// What every route of the web server shares: the engine client, the session store, the login limiter and the
// bearer-token cache (decorated on the Fastify instance as `web`), who the request is (request.principal), and the
// one way a route asks the engine for something: with an Actor naming that principal and its address.
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EngineCaller } from '../engine/client.js';
import type { Actor, OperationName, ParamsOf, ResultOf } from '../engine/protocol.js';
import type { BearerCache } from './auth/bearer-cache.js';
import type { LoginLimiter } from './auth/login-limiter.js';
import type { SessionStore } from './auth/session-store.js';

export interface WebContext {
	readonly engine: EngineCaller;
	readonly sessions: SessionStore;
	readonly logins: LoginLimiter;
	readonly bearerTokens: BearerCache;
	readonly now: () => number;
}

/** Who a request acts as: a logged-in session, or an API token acting for the web account. */
export type Principal =
	| { readonly kind: 'session'; readonly user: string; readonly account: string }
	| { readonly kind: 'token'; readonly user: string; readonly account: string; readonly tokenId: string };

/**
 * Who may call a route: `public` (login, the API description), `before-password-change` (what a session still
 * using the factory password may do: log out, read itself, change the password), else (the default) a session
 * whose password was changed, or an API token.
 */
export type Access = 'public' | 'before-password-change';

declare module 'fastify' {
	interface FastifyInstance {
		web: WebContext;
	}
	interface FastifyRequest {
		principal: Principal | null;
	}
	interface FastifyContextConfig {
		access?: Access;
	}
}

export type WebApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** An address as the audit log shows it: no IPv4-mapped prefix, no zone, only address characters. */
const addressText = (raw: string | undefined): string =>
	(raw ?? '').replace(/^::ffff:(?=\d+\.)/, '').replace(/%.*$/, '').replace(/[^0-9a-fA-F.:]/g, '').slice(0, 64);

export const clientAddress = (request: FastifyRequest): string => addressText(request.ip);

/** The address of this server the request reached (a network change is confirmed from the new address). */
export const serverAddress = (request: FastifyRequest): string => addressText(request.socket.localAddress);

/** An Actor's user is printable ASCII without spaces (protocol ActorSchema); other characters become "_". */
export const actorName = (name: string): string => name.replace(/[^\x21-\x7e]/g, '_').slice(0, 64);

export function actorOf(request: FastifyRequest, user?: string): Actor {
	const principal = request.principal;
	return { user: actorName(user ?? principal?.user ?? ''), address: clientAddress(request), via: principal?.kind === 'token' ? 'token' : 'web' };
}

/** Asks the engine on behalf of the request's principal (or, before one exists, of the named user). */
export function callEngine<N extends OperationName>(request: FastifyRequest, op: N, params: ParamsOf<N>, user?: string): Promise<ResultOf<N>> {
	return request.server.web.engine.call(op, params, actorOf(request, user));
}

/** The principal of a route that only runs authenticated (the authentication hook let the request through). */
export function principalOf(request: FastifyRequest): Principal {
	if (request.principal === null) throw new Error(`${request.method} ${request.url} reached its handler without a principal`);
	return request.principal;
}
