// The engine operations behind web logins and API tokens (auth.login, auth.changePassword, tokens.*), with exactly
// the protocol's signatures: the engine wires them in beside its other handlers. The changes among them (a password
// change, a token created or revoked) go to the audit log like every other change: who, from where, never a secret.
import type { Actor } from '../../engine/protocol.js';
import type { Handlers } from '../../engine/server.js';
import type { AppliancePaths } from '../../paths.js';
import type { AuditEntry } from '../audit-log.js';
import { problemOf } from '../problems.js';
import { PasswordStore } from './password-store.js';
import { TokenStore } from './token-store.js';

export type AuthOperation = 'auth.login' | 'auth.changePassword' | 'tokens.list' | 'tokens.create' | 'tokens.revoke' | 'tokens.verify';
export type AuthHandlers = Pick<Handlers, AuthOperation>;

export interface AuthHandlerOptions {
	/** The engine's audit log (AuditLog.record); without one, changes are not recorded. */
	readonly audit?: { record(entry: AuditEntry): Promise<void> };
	readonly now?: () => Date;
}

export function authHandlers(paths: AppliancePaths, options: AuthHandlerOptions = {}): AuthHandlers {
	const now = options.now ?? (() => new Date());
	const passwords = PasswordStore.of(paths);
	const tokens = TokenStore.of(paths, now);

	/** Runs a change and records it, done or refused (the refusal's message, which never holds a secret). */
	async function audited<T>(actor: Actor, operation: string, fields: readonly string[], change: () => Promise<T>): Promise<T> {
		const record = (outcome: 'done' | 'refused', message?: string) =>
			options.audit?.record({ time: now().toISOString(), actor, operation, paths: fields, outcome, ...(message === undefined ? {} : { message }) });
		try {
			const result = await change();
			await record('done');
			return result;
		} catch (error) {
			await record('refused', problemOf(error).message);
			throw error;
		}
	}

	return {
		'auth.login': async ({ username, password }) => passwords.check(username, password),
		'auth.changePassword': async ({ username, current, new: next }, actor) => {
			await audited(actor, 'auth.changePassword', [`accounts.${username}.password`], () => passwords.change(username, current, next));
			return {};
		},
		'tokens.list': async () => ({ tokens: await tokens.list() }),
		'tokens.create': async ({ name }, actor) => audited(actor, 'tokens.create', [`tokens.${name}`], () => tokens.create(name)),
		'tokens.revoke': async ({ id }, actor) => {
			await audited(actor, 'tokens.revoke', [`tokens.${id}`], () => tokens.revoke(id));
			return {};
		},
		'tokens.verify': async ({ secret }) => ({ token: await tokens.verify(secret) }),
	};
}
