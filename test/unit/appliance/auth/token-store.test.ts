// API tokens on the engine side: created once with a 256-bit secret shown only then, stored as its SHA-256 in a
// root-only file, verified, revoked; the store's limits and refusals name what is wrong.
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { authHandlers } from '../../../../services/appliance/auth/handlers.js';
import { maxTokens, TokenStore } from '../../../../services/appliance/auth/token-store.js';
import type { AuditEntry } from '../../../../services/appliance/audit-log.js';
import { ApplianceProblem } from '../../../../services/appliance/problems.js';
import { appliancePaths } from '../../../../services/paths.js';

async function tokens(now = () => new Date('2026-12-01T10:00:00Z')) {
	const paths = appliancePaths(await mkdtemp(path.join(tmpdir(), 'exlb-tokens-')));
	return { paths, store: TokenStore.of(paths, now) };
}

test('a created token is shown once; the file keeps only its SHA-256, readable by root only', async (t) => {
	const { paths, store } = await tokens();
	const { token, secret } = await store.create('nightly backup');
	t.regex(secret, /^exlb_[A-Za-z0-9_-]{43}$/);
	t.deepEqual(token, { id: token.id, name: 'nightly backup', created: '2026-12-01T10:00:00.000Z', lastUsed: null });
	const file = await readFile(paths.apiTokensFile, 'utf8');
	t.false(file.includes(secret));
	t.regex(file, /"sha256": "[0-9a-f]{64}"/);
	t.is((await stat(paths.apiTokensFile)).mode & 0o777, 0o600);
	t.deepEqual(await store.list(), [token]);
});

test('verify finds the token of a secret and records when it was used; a wrong or revoked secret finds nothing', async (t) => {
	let now = new Date('2026-12-01T10:00:00Z');
	const { store } = await tokens(() => now);
	const { token, secret } = await store.create('monitoring');
	now = new Date('2026-12-01T11:00:00Z');
	t.deepEqual(await store.verify(secret), { ...token, lastUsed: '2026-12-01T11:00:00.000Z' });
	t.is(await store.verify(`exlb_${'A'.repeat(43)}`), null);
	t.is(await store.verify('not even the format'), null);
	await store.revoke(token.id);
	t.is(await store.verify(secret), null);
	t.deepEqual(await store.list(), []);
});

test('refusals: an unknown id, a name already used, more than the maximum', async (t) => {
	const { store } = await tokens();
	t.is((await t.throwsAsync(store.revoke('0123456789abcdef'), { instanceOf: ApplianceProblem })).kind, 'not-found');
	await store.create('ci');
	const duplicate = await t.throwsAsync(store.create('ci'), { instanceOf: ApplianceProblem });
	t.is(duplicate.kind, 'conflict');
	t.deepEqual(duplicate.errors.map((error) => error.path), ['name']);
	for (let index = 1; index < maxTokens; index++) await store.create(`token ${index}`);
	t.is((await t.throwsAsync(store.create('one too many'), { instanceOf: ApplianceProblem })).kind, 'too-many');
});

test('concurrent creations are all kept (each read-modify-write waits for the previous one)', async (t) => {
	const { store } = await tokens();
	await Promise.all(Array.from({ length: 10 }, (_, index) => store.create(`parallel ${index}`)));
	t.is((await store.list()).length, 10);
});

test('authHandlers answers the six auth operations with the protocol\'s shapes and audits the changes, never a secret', async (t) => {
	const { paths } = await tokens();
	const audit: AuditEntry[] = [];
	const handlers = authHandlers(paths, { audit: { record: async (entry) => { audit.push(entry); } }, now: () => new Date('2026-12-01T10:00:00Z') });
	t.deepEqual(Object.keys(handlers).sort(), ['auth.changePassword', 'auth.login', 'tokens.create', 'tokens.list', 'tokens.revoke', 'tokens.verify']);
	const actor = { user: 'admin', address: '127.0.0.1', via: 'web' as const };
	t.deepEqual(await handlers['auth.login']({ username: 'admin', password: 'admin' }, actor), { ok: true, passwordChangeRequired: true });
	t.deepEqual(await handlers['auth.changePassword']({ username: 'admin', current: 'admin', new: 'tulip lantern orbit 2031' }, actor), {});
	const { secret, token } = await handlers['tokens.create']({ name: 'ci' }, actor);
	t.deepEqual((await handlers['tokens.verify']({ secret }, actor)).token?.id, token.id);
	t.deepEqual(await handlers['tokens.revoke']({ id: token.id }, actor), {});
	t.deepEqual(await handlers['tokens.list']({}, actor), { tokens: [] });
	await t.throwsAsync(handlers['auth.changePassword']({ username: 'admin', current: 'wrong', new: 'another quiet harbour 77' }, actor));
	t.deepEqual(audit.map(({ operation, paths: fields, outcome }) => `${operation} ${fields.join(',')} ${outcome}`), [
		'auth.changePassword accounts.admin.password done',
		`tokens.create tokens.ci done`,
		`tokens.revoke tokens.${token.id} done`,
		'auth.changePassword accounts.admin.password refused',
	]);
	t.false(JSON.stringify(audit).includes(secret));
	t.false(JSON.stringify(audit).includes('tulip'));
	t.deepEqual(audit[0]!.actor, actor);
});
