// API tokens against the real web server process: created once (the secret shown in that answer only, stored
// hashed), used with Authorization: Bearer without a cookie or a CSRF token, listed without the secret, revoked.
import { readFile } from 'node:fs/promises';
import test from 'ava';
import { webForThisFile } from './web-for-this-file.js';

const files = webForThisFile({ withAdmin: true });

test.serial('a token works as Authorization: Bearer with no cookie and no CSRF token, until it is revoked', async (t) => {
	const created = await files.admin.request('POST', '/api/v1/tokens', { json: { name: 'nightly backup' } });
	t.is(created.status, 201, created.text);
	const { secret, token } = created.body;
	t.regex(secret, /^exlb_[A-Za-z0-9_-]{43}$/);
	t.is(token.name, 'nightly backup');

	const stored = await readFile(files.web.engine.paths.apiTokensFile, 'utf8');
	t.false(stored.includes(secret), 'only its hash is kept');
	const listed = await files.admin.request('GET', '/api/v1/tokens');
	t.false(listed.text.includes(secret));
	t.is(listed.body.tokens.length, 1);

	const script = files.web.client();
	const read = await script.request('GET', '/api/v1/config', { bearer: secret });
	t.is(read.status, 200);
	const changed = await script.request('PATCH', '/api/v1/config', { bearer: secret, json: { casServers: ['10.0.0.40'] } });
	t.is(changed.status, 200, changed.text);
	t.is(changed.setCookies.length, 0, 'no session for a token');
	const audit = await files.admin.request('GET', '/api/v1/audit?limit=5');
	t.deepEqual(audit.body.entries.find((entry: { operation: string }) => entry.operation === 'config.patch').actor, { user: 'token:nightly_backup', address: '127.0.0.1', via: 'token' });

	t.is((await files.admin.request('DELETE', `/api/v1/tokens/${token.id}`)).status, 204);
	const revoked = await script.request('GET', '/api/v1/config', { bearer: secret });
	t.is(revoked.status, 401);
	t.regex(revoked.headers.get('www-authenticate') ?? '', /^Bearer/);
	t.is((await files.admin.request('DELETE', `/api/v1/tokens/${token.id}`)).status, 404);
});

test.serial('a wrong token, another scheme, or a token name with markup is refused by name', async (t) => {
	const client = files.web.client();
	const wrong = await client.request('GET', '/api/v1/config', { bearer: `exlb_${'A'.repeat(43)}` });
	t.is(wrong.status, 401);
	const basic = await client.request('GET', '/api/v1/config', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
	t.is(basic.status, 401);
	t.is(basic.body.error.errors[0].path, 'Authorization');
	const markup = await files.admin.request('POST', '/api/v1/tokens', { json: { name: '<script>alert(1)</script>' } });
	t.is(markup.status, 422);
	t.deepEqual(markup.body.error.errors.map((error: { path: string }) => error.path), ['name']);
	const newline = await files.admin.request('POST', '/api/v1/tokens', { json: { name: 'ci\nrunner' } });
	t.is(newline.status, 422);
	t.is((await files.admin.request('GET', '/api/v1/tokens')).body.tokens.length, 0);
});
