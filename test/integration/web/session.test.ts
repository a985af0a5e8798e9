// Logging in against the real web server process over HTTPS: the factory password and its forced change, the
// session cookie's flags and rotation, logout, session listing and revocation, a password change ending the other
// sessions, CSRF and Origin refusals, and the security headers on every answer.
import { readFile, rm } from 'node:fs/promises';
import test from 'ava';
import { adminPassword, sessionCookie, webForThisFile } from './web-for-this-file.js';

const files = webForThisFile({ withAdmin: false });

const cookieId = (cookie: string | null) => cookie?.split('=')[1] ?? null;

test.serial('with the factory password, login succeeds but every other request is refused until the password is changed', async (t) => {
	const anonymous = files.web.client();
	const refused = await anonymous.request('GET', '/api/v1/config');
	t.is(refused.status, 401);
	t.is(refused.body.error.kind, 'unauthenticated');

	const admin = files.web.client();
	const login = await admin.login('admin', 'admin');
	t.is(login.status, 200);
	t.true(login.body.passwordChangeRequired);
	t.regex(login.body.csrfToken, /^[A-Za-z0-9_-]{43}$/);

	const blocked = await admin.request('GET', '/api/v1/config');
	t.is(blocked.status, 403);
	t.regex(blocked.body.error.message, /factory password must be changed first/);
	t.is((await admin.request('GET', '/api/v1/session')).body.user, 'admin');
	t.is((await admin.request('GET', '/api/v1/openapi.json')).status, 200);

	const weak = await admin.request('PUT', '/api/v1/account/password', { json: { current: 'admin', new: 'password1234' } });
	t.is(weak.status, 422);
	t.deepEqual(weak.body.error.errors.map((error: { path: string }) => error.path), ['new']);
	const short = await admin.request('PUT', '/api/v1/account/password', { json: { current: 'admin', new: 'short' } });
	t.is(short.status, 422);
	t.regex(short.body.error.errors[0].message, /at least 12 characters/);
	const wrongCurrent = await admin.request('PUT', '/api/v1/account/password', { json: { current: 'nope', new: adminPassword } });
	t.is(wrongCurrent.status, 403);

	const before = admin.cookie;
	const changed = await admin.request('PUT', '/api/v1/account/password', { json: { current: 'admin', new: adminPassword } });
	t.is(changed.status, 204);
	t.not(admin.cookie, before, 'the session continues under a new id');
	const config = await admin.request('GET', '/api/v1/config');
	t.is(config.status, 200);
	t.is(config.body.network.hostname, 'exlb');

	t.is((await files.web.client().login('admin', 'admin')).status, 401, 'the factory password is gone');
	t.regex(await readFile(files.web.engine.paths.adminPasswordFile, 'utf8'), /^\$scrypt\$ln=15,r=8,p=3\$/);
});

test.serial('the session cookie is __Host-, Secure, HttpOnly, SameSite=Strict, Path=/, and gets a new id at every login', async (t) => {
	const client = files.web.client();
	const first = await client.login('admin', adminPassword);
	t.is(first.status, 200);
	const line = first.setCookies.find((cookie) => cookie.startsWith(`${sessionCookie}=`))!;
	t.truthy(line);
	t.regex(line, /; Secure/i);
	t.regex(line, /; HttpOnly/i);
	t.regex(line, /; SameSite=Strict/i);
	t.regex(line, /; Path=\//i);
	t.notRegex(line, /Domain=/i);
	t.notRegex(line, /Max-Age|Expires/i, 'a browser session cookie; the server enforces the lifetimes');
	const firstId = cookieId(client.cookie);
	t.true((firstId ?? '').length >= 43, '256-bit id plus its signature');

	const second = await client.login('admin', adminPassword);
	t.is(second.status, 200);
	t.not(cookieId(client.cookie), firstId);
	const stale = files.web.client();
	stale.cookie = `${sessionCookie}=${firstId}`;
	t.is((await stale.request('GET', '/api/v1/session')).status, 401, 'the id from before the new login is no longer valid');
});

test.serial('logout ends the session on the server: the old cookie is refused afterwards', async (t) => {
	const client = files.web.client();
	await client.login('admin', adminPassword);
	const cookie = client.cookie;
	const logout = await client.request('DELETE', '/api/v1/session');
	t.is(logout.status, 204);
	t.true(logout.setCookies.some((line) => line.startsWith(`${sessionCookie}=;`)), 'the cookie is cleared');
	const replay = files.web.client();
	replay.cookie = cookie;
	t.is((await replay.request('GET', '/api/v1/config')).status, 401);
});

test.serial('sessions are listed without their secret and one can be revoked', async (t) => {
	const mine = files.web.client();
	await mine.login('admin', adminPassword);
	const other = files.web.client();
	await other.login('admin', adminPassword);
	const listed = await mine.request('GET', '/api/v1/sessions');
	t.is(listed.status, 200);
	const current = listed.body.sessions.filter((session: { current: boolean }) => session.current);
	t.is(current.length, 1);
	t.false(listed.text.includes(cookieId(mine.cookie)!.split('.')[0]!), 'no session id in the list');
	const otherId = (await other.request('GET', '/api/v1/sessions')).body.sessions.find((session: { current: boolean }) => session.current).id;
	t.is((await mine.request('DELETE', `/api/v1/sessions/${otherId}`)).status, 204);
	t.is((await other.request('GET', '/api/v1/config')).status, 401);
	t.is((await mine.request('DELETE', `/api/v1/sessions/${otherId}`)).status, 404);
	t.is((await mine.request('GET', '/api/v1/config')).status, 200);
});

test.serial('a password change ends the account\'s other sessions', async (t) => {
	const changer = files.web.client();
	await changer.login('admin', adminPassword);
	const bystander = files.web.client();
	await bystander.login('admin', adminPassword);
	const next = 'another quiet harbour 77';
	t.is((await changer.request('PUT', '/api/v1/account/password', { json: { current: adminPassword, new: next } })).status, 204);
	t.is((await bystander.request('GET', '/api/v1/config')).status, 401);
	t.is((await changer.request('GET', '/api/v1/config')).status, 200);
	t.is((await changer.request('PUT', '/api/v1/account/password', { json: { current: next, new: adminPassword } })).status, 204);
});

test.serial('a state-changing request without the CSRF token, with a wrong one, or from another Origin is refused with 403 naming the header', async (t) => {
	const client = files.web.client();
	await client.login('admin', adminPassword);
	const patch = { json: { casServers: ['10.0.0.5'] } };
	const missing = await client.request('PATCH', '/api/v1/config', { ...patch, csrf: false });
	t.is(missing.status, 403);
	t.regex(missing.body.error.message, /x-csrf-token/i);
	t.is(missing.body.error.errors[0].path, 'X-CSRF-Token');
	const wrong = await client.request('PATCH', '/api/v1/config', { ...patch, headers: { 'x-csrf-token': 'A'.repeat(43) } });
	t.is(wrong.status, 403);
	const foreign = await client.request('PATCH', '/api/v1/config', { ...patch, headers: { origin: 'https://evil.example' } });
	t.is(foreign.status, 403);
	t.is(foreign.body.error.errors[0].path, 'Origin');
	const foreignLogin = await files.web.client().request('POST', '/api/v1/session', { json: { username: 'admin', password: adminPassword }, headers: { origin: 'https://evil.example' } });
	t.is(foreignLogin.status, 403, 'no login from another site either');
	const sameOrigin = await client.request('GET', '/api/v1/config');
	t.deepEqual((await client.request('GET', '/api/v1/config')).body.casServers, sameOrigin.body.casServers, 'nothing was changed');
	const ok = await client.request('POST', '/api/v1/config/check', { ...patch, headers: { origin: files.web.origin } });
	t.is(ok.status, 200);
});

test.serial('removing the password file (the console\'s "reset the web admin password") brings back admin/admin with a forced change', async (t) => {
	await rm(files.web.engine.paths.adminPasswordFile);
	const client = files.web.client();
	const login = await client.login('admin', 'admin');
	t.is(login.status, 200);
	t.true(login.body.passwordChangeRequired);
	t.is((await client.request('GET', '/api/v1/status')).status, 403);
	t.is((await client.request('PUT', '/api/v1/account/password', { json: { current: 'admin', new: adminPassword } })).status, 204);
});

test('every answer carries the security headers, and API answers are not cached', async (t) => {
	for (const path of ['/api/v1/config', '/api/v1/openapi.json', '/api/v1/reference', '/nowhere']) {
		const response = await files.web.client().request('GET', path);
		t.is(response.headers.get('content-security-policy')?.split(';')[0], 'default-src \'self\'', path);
		t.regex(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
		t.notRegex(response.headers.get('content-security-policy') ?? '', /unsafe-(inline|eval)/);
		t.is(response.headers.get('x-content-type-options'), 'nosniff');
		t.is(response.headers.get('referrer-policy'), 'no-referrer');
		t.regex(response.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
		t.is(response.headers.get('x-frame-options'), 'DENY');
	}
	t.is((await files.web.client().request('GET', '/api/v1/config')).headers.get('cache-control'), 'no-store');
});
