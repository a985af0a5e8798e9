// The engine operations behind web logins and API tokens (auth.login, auth.changePassword, tokens.*), with exactly
// the protocol's signatures: the engine wires them in beside its other handlers.
import type { Handlers } from '../../engine/server.js';
import type { AppliancePaths } from '../../paths.js';
import { PasswordStore } from './password-store.js';
import { TokenStore } from './token-store.js';

export type AuthOperation = 'auth.login' | 'auth.changePassword' | 'tokens.list' | 'tokens.create' | 'tokens.revoke' | 'tokens.verify';
export type AuthHandlers = Pick<Handlers, AuthOperation>;

export function authHandlers(paths: AppliancePaths, now: () => Date = () => new Date()): AuthHandlers {
	const passwords = PasswordStore.of(paths);
	const tokens = TokenStore.of(paths, now);
	return {
		'auth.login': async ({ username, password }) => passwords.check(username, password),
		'auth.changePassword': async ({ username, current, new: next }) => {
			await passwords.change(username, current, next);
			return {};
		},
		'tokens.list': async () => ({ tokens: await tokens.list() }),
		'tokens.create': async ({ name }) => tokens.create(name),
		'tokens.revoke': async ({ id }) => {
			await tokens.revoke(id);
			return {};
		},
		'tokens.verify': async ({ secret }) => ({ token: await tokens.verify(secret) }),
	};
}
