// Logging in and out, the current session, the list of the account's sessions and their revocation (ASVS 3.2, 3.3),
// and the password change that ends the other sessions.
import { Type } from '@sinclair/typebox';
import { operations } from '../../engine/protocol.js';
import { changePassword, checkPassword } from '../auth/password-check.js';
import { newCsrfToken } from '../auth/csrf.js';
import { clearSessionCookie } from '../auth/session-cookie.js';
import { clientAddress, principalOf, type WebApp } from '../context.js';
import { WebError } from '../errors.js';
import { NoContent, publicSecurity, responses, tags } from '../route-schemas.js';

const login = operations['auth.login'];
const passwordChange = operations['auth.changePassword'];

const LoginResult = Type.Object({
	passwordChangeRequired: login.result.properties.passwordChangeRequired,
	csrfToken: Type.String({ description: 'send it as the X-CSRF-Token header with every state-changing request of this session' }),
}, { additionalProperties: false });

const CurrentSession = Type.Object({
	user: Type.String(),
	passwordChangeRequired: Type.Boolean(),
	csrfToken: Type.String(),
}, { additionalProperties: false });

const SessionView = Type.Object({
	id: Type.String({ description: 'a handle for DELETE /api/v1/sessions/{id} (not the cookie\'s secret)' }),
	current: Type.Boolean({ description: 'the session this request came with' }),
	address: Type.String(),
	userAgent: Type.String(),
	createdAt: Type.String(),
	lastSeenAt: Type.String(),
	expiresAt: Type.String({ description: '30 min after the last request, 12 h after the login at most' }),
}, { additionalProperties: false });

const SessionId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) }, { additionalProperties: false });

const PasswordChange = Type.Pick(passwordChange.params, ['current', 'new'], { additionalProperties: false });

export async function sessionRoutes(app: WebApp): Promise<void> {
	app.post('/api/v1/session', {
		config: { access: 'public' },
		schema: {
			tags: [tags.session], summary: 'Log in', security: publicSecurity,
			description: 'Checks the user name and password (scrypt, in the engine) and starts a session with a new id: the `__Host-exlb-session` cookie. '
				+ 'Failed attempts slow down the next ones per user and per address (429 with Retry-After). While the factory password is in use, passwordChangeRequired is true '
				+ 'and every other request is refused until PUT /api/v1/account/password.',
			body: login.params,
			response: responses(200, LoginResult),
		},
	}, async (request) => {
		const { username, password } = request.body;
		const result = await checkPassword(request, username, password);
		if (!result.ok) throw new WebError(401, 'unauthenticated', 'wrong user name or password');
		await request.session.regenerate();
		const csrfToken = newCsrfToken();
		request.session.set('user', username);
		request.session.set('csrfToken', csrfToken);
		request.session.set('passwordChangeRequired', result.passwordChangeRequired);
		request.session.set('loginAt', app.web.now());
		request.session.set('address', clientAddress(request));
		request.session.set('userAgent', (request.headers['user-agent'] ?? '').slice(0, 200));
		return { passwordChangeRequired: result.passwordChangeRequired, csrfToken };
	});

	app.get('/api/v1/session', {
		config: { access: 'before-password-change' },
		schema: { tags: [tags.session], summary: 'The current session', description: 'Who is logged in, and the CSRF token again (for a page that was reloaded).', response: responses(200, CurrentSession) },
	}, async (request) => {
		const { user, passwordChangeRequired, csrfToken } = request.session;
		if (user === undefined || csrfToken === undefined) throw new WebError(404, 'not-found', 'this request came with an API token, not a session');
		return { user, passwordChangeRequired: passwordChangeRequired === true, csrfToken };
	});

	app.delete('/api/v1/session', {
		config: { access: 'before-password-change' },
		schema: { tags: [tags.session], summary: 'Log out', description: 'Ends the session on the server and clears the cookie.', response: responses(204, NoContent) },
	}, async (request, reply) => {
		if (principalOf(request).kind !== 'session') throw new WebError(404, 'not-found', 'this request came with an API token, not a session');
		await request.session.destroy();
		clearSessionCookie(reply);
		return reply.code(204).send(null);
	});

	app.get('/api/v1/sessions', {
		schema: { tags: [tags.session], summary: 'Active sessions', description: 'The account\'s sessions that have not expired.', response: responses(200, Type.Object({ sessions: Type.Array(SessionView) }, { additionalProperties: false })) },
	}, async (request) => {
		const current = app.web.sessions.handleOf(request.session.sessionId);
		return { sessions: app.web.sessions.list(principalOf(request).account).map((view) => ({ ...view, current: view.id === current })) };
	});

	app.delete('/api/v1/sessions/:id', {
		schema: { tags: [tags.session], summary: 'Revoke a session', params: SessionId, response: responses(204, NoContent) },
	}, async (request, reply) => {
		const { id } = request.params;
		const current = id === app.web.sessions.handleOf(request.session.sessionId);
		if (!app.web.sessions.revoke(principalOf(request).account, id)) throw new WebError(404, 'not-found', `no active session ${id}`, [{ path: 'params.id', message: 'no such session' }]);
		if (current) clearSessionCookie(reply);
		return reply.code(204).send(null);
	});

	app.put('/api/v1/account/password', {
		config: { access: 'before-password-change' },
		schema: {
			tags: [tags.session], summary: 'Change the password',
			description: 'Needs the current password. The new one: 12 to 128 characters, any characters, not in the list of common passwords. '
				+ 'Ends every other session of the account; this one continues under a new id.',
			body: PasswordChange,
			response: responses(204, NoContent),
		},
	}, async (request, reply) => {
		const principal = principalOf(request);
		await changePassword(request, principal.account, request.body.current, request.body.new);
		if (principal.kind === 'session') {
			request.session.set('passwordChangeRequired', false);
			await request.session.regenerate(['user', 'csrfToken', 'passwordChangeRequired', 'loginAt', 'address', 'userAgent']);
		}
		app.web.sessions.revokeAllOf(principal.account, principal.kind === 'session' ? request.session.sessionId : undefined);
		return reply.code(204).send(null);
	});
}
