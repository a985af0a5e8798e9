// Every check of a password the web server makes (login, re-authentication before power-off, factory reset and the
// firmware's changes, the current password of a change) goes through the login limiter, keyed by the account and the
// client's address.
import type { FastifyRequest } from 'fastify';
import { EngineProblem } from '../../engine/client.js';
import type { ResultOf } from '../../engine/protocol.js';
import { callEngine, clientAddress, principalOf } from '../context.js';
import { WebError } from '../errors.js';
import { loginKeys, type LoginAttempt } from './login-limiter.js';

function begin(request: FastifyRequest, username: string): Extract<LoginAttempt, { allowed: true }> {
	const attempt = request.server.web.logins.begin(loginKeys(username, clientAddress(request)));
	if (!attempt.allowed) {
		request.log.warn({ user: username, address: clientAddress(request) }, 'password check refused: too many failures');
		throw new WebError(429, 'too-many', `too many failed password checks; try again in ${attempt.retryAfterSeconds} s`, [], { retryAfterSeconds: attempt.retryAfterSeconds });
	}
	return attempt;
}

/** Asks the engine whether the password is right, counting a wrong one against the account and the address. */
export async function checkPassword(request: FastifyRequest, username: string, password: string): Promise<ResultOf<'auth.login'>> {
	const attempt = begin(request, username);
	let result: ResultOf<'auth.login'>;
	try {
		result = await callEngine(request, 'auth.login', { username, password }, username);
	} catch (error) {
		attempt.settle('no-answer');
		throw error;
	}
	attempt.settle(result.ok ? 'success' : 'failure');
	request.log.info({ user: username, address: clientAddress(request), ok: result.ok }, result.ok ? 'password check passed' : 'password check failed');
	return result;
}

/** The password change: a wrong current password counts as a failure; a refused new one does not (the current was right). */
export async function changePassword(request: FastifyRequest, username: string, current: string, next: string): Promise<void> {
	const attempt = begin(request, username);
	try {
		await callEngine(request, 'auth.changePassword', { username, current, new: next });
	} catch (error) {
		const kind = error instanceof EngineProblem ? error.problem.kind : null;
		attempt.settle(kind === 'unauthorized' ? 'failure' : kind === 'invalid' ? 'success' : 'no-answer');
		request.log.info({ user: username, address: clientAddress(request), refused: kind }, 'password change refused');
		throw error;
	}
	attempt.settle('success');
	request.log.info({ user: username, address: clientAddress(request) }, 'password changed');
}

/** Refuses the request (403 naming `password`) unless `password` is its account's, asked again before an action that cannot be undone. */
export async function reauthenticate(request: FastifyRequest, password: string): Promise<void> {
	const { ok } = await checkPassword(request, principalOf(request).account, password);
	if (!ok) throw new WebError(403, 'unauthorized', 'the password is wrong; nothing was done', [{ path: 'password', message: 'is not the account\'s password' }]);
}
