// One gate in front of every route, deny by default: a route is public only if it says so (config.access). An API
// token (Authorization: Bearer) is checked with the engine and needs nothing else; otherwise a state-changing
// request must come from this origin, then the route needs a logged-in session, its CSRF token, and (except for the
// few routes that serve the change itself) a changed factory password.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { adminUsername } from '../../appliance/auth/account.js';
import { actorName, callEngine, type Principal } from '../context.js';
import { WebError } from '../errors.js';
import { csrfHeader, csrfTokenProblem, isStateChanging, originProblem } from './csrf.js';

/** The bearer secret of an Authorization header; undefined without one; refused when it is another scheme. */
function bearerSecret(header: string | undefined): string | undefined {
	if (header === undefined) return undefined;
	const match = /^Bearer ([\x21-\x7e]{1,256})$/.exec(header.trim());
	if (match === null) throw new WebError(401, 'unauthenticated', 'the Authorization header must be "Bearer <API token>"', [{ path: 'Authorization', message: 'not a bearer token' }]);
	return match[1];
}

async function tokenPrincipal(request: FastifyRequest, secret: string): Promise<Principal> {
	const cache = request.server.web.bearerTokens;
	let token = cache.get(secret);
	if (token === undefined) {
		const verified = (await callEngine(request, 'tokens.verify', { secret }, 'bearer')).token;
		if (verified === null) throw new WebError(401, 'unauthenticated', 'the API token is not valid (revoked or mistyped)', [{ path: 'Authorization', message: 'unknown token' }]);
		token = { id: verified.id, name: verified.name };
		cache.set(secret, token);
	}
	return { kind: 'token', user: actorName(`token:${token.name}`), account: adminUsername, tokenId: token.id };
}

export function registerAuthentication(app: FastifyInstance): void {
	app.decorateRequest('principal', null);
	app.addHook('onRequest', async (request) => {
		if (request.is404) return;
		const access = request.routeOptions.config.access;
		const secret = bearerSecret(request.headers.authorization);
		if (secret !== undefined) {
			request.principal = await tokenPrincipal(request, secret);
			return;
		}
		const changesState = isStateChanging(request.method);
		if (changesState) {
			const problem = originProblem(request.headers.origin, request.headers.host);
			if (problem !== null) throw new WebError(403, 'unauthorized', problem, [{ path: 'Origin', message: 'is not this server' }]);
		}
		if (access === 'public') return;
		const session = request.session;
		if (session.user === undefined || session.csrfToken === undefined) {
			throw new WebError(401, 'unauthenticated', 'log in first (POST /api/v1/session), or send Authorization: Bearer <API token>');
		}
		if (changesState) {
			const problem = csrfTokenProblem(request.headers[csrfHeader], session.csrfToken);
			if (problem !== null) throw new WebError(403, 'unauthorized', problem, [{ path: 'X-CSRF-Token', message: 'missing or wrong' }]);
		}
		if (session.passwordChangeRequired === true && access !== 'before-password-change') {
			throw new WebError(403, 'unauthorized', 'the factory password must be changed first: PUT /api/v1/account/password {"current","new"}');
		}
		request.principal = { kind: 'session', user: session.user, account: session.user };
	});
}
