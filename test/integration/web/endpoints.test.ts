// Each endpoint of the API against the real web server process over HTTPS, logged in with a changed password:
// configuration (ETag, merge patch, check, save, diff), status and drain, certificates, services, system, audit;
// and each refusal names the field or header and changes nothing.
import { mkdtemp, readFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { FormData } from 'undici';
import { adminPassword, tlsHostName, webForThisFile } from './web-for-this-file.js';

const files = webForThisFile({ withAdmin: true });

const paths = (body: { error: { errors?: { path: string }[] } }) => (body.error.errors ?? []).map((error) => error.path);

async function certificatePem(commonName: string): Promise<{ pem: string; dir: string }> {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-web-cert-'));
	await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '30', '-subj', `/CN=${commonName}`]);
	return { pem: (await readFile(`${dir}/key.pem`, 'utf8')) + (await readFile(`${dir}/cert.pem`, 'utf8')), dir };
}

function upload(fields: Record<string, string>, file?: { name: string; content: Uint8Array | string }): FormData {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) form.append(key, value);
	if (file !== undefined) form.append('file', new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)]), file.name);
	return form;
}

/** A GET with the path sent exactly as written (fetch would resolve the dot segments first). */
function rawGet(pathname: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = https.request({ host: '127.0.0.1', port: files.web.port, path: pathname, method: 'GET', ca: files.web.pem, servername: tlsHostName, headers: { cookie: files.admin.cookie ?? '' } }, (response) => {
			response.resume();
			resolve(response.statusCode ?? 0);
		});
		request.on('error', reject);
		request.end();
	});
}

/** The running configuration and its ETag header. */
async function running(): Promise<{ config: any; etag: string }> {
	const response = await files.admin.request('GET', '/api/v1/config');
	return { config: response.body, etag: response.headers.get('etag')! };
}

test.serial('GET /config answers the running configuration with its ETag; If-None-Match with it answers 304', async (t) => {
	const response = await files.admin.request('GET', '/api/v1/config');
	t.is(response.status, 200);
	t.regex(response.headers.get('etag') ?? '', /^"[0-9a-f]{32}"$/);
	t.is(response.body.http.mode, 'ssl-forward');
	t.is((await files.admin.request('GET', '/api/v1/config', { headers: { 'if-none-match': response.headers.get('etag')! } })).status, 304);
});

test.serial('PATCH /config applies a merge patch (both content types), answers the new ETag, and a stale If-Match is a 409', async (t) => {
	const before = await running();
	const patched = await files.admin.request('PATCH', '/api/v1/config', { json: { casServers: ['10.0.0.15', '10.0.0.16'] }, headers: { 'content-type': 'application/merge-patch+json', 'if-match': before.etag } });
	t.is(patched.status, 200, patched.text);
	t.deepEqual(patched.body.config.casServers, ['10.0.0.15', '10.0.0.16']);
	t.true(Array.isArray(patched.body.warnings));
	t.is(patched.headers.get('etag'), patched.body.etag);
	t.not(patched.body.etag, before.etag);

	const stale = await files.admin.request('PATCH', '/api/v1/config', { json: { hubServers: ['10.0.0.20'] }, headers: { 'if-match': before.etag } });
	t.is(stale.status, 409);
	t.is(stale.body.error.kind, 'conflict');
	const second = await files.admin.request('PATCH', '/api/v1/config', { json: { hubServers: ['10.0.0.20'] } });
	t.is(second.status, 200);
	t.deepEqual(second.body.config.casServers, ['10.0.0.15', '10.0.0.16'], 'the first change is kept');
});

test.serial('a refused PATCH is a 422 naming every field, in error.errors and at the top level, and changes nothing', async (t) => {
	const before = await running();
	const refused = await files.admin.request('PATCH', '/api/v1/config', { json: { http: { casHttpPort: 70000, hostName: '<script>alert(1)</script>' } } });
	t.is(refused.status, 422);
	t.is(refused.body.error.kind, 'invalid');
	t.true(paths(refused.body).includes('http.casHttpPort'));
	t.true(paths(refused.body).includes('http.hostName'));
	t.deepEqual(refused.body.errors, refused.body.error.errors);
	t.is((await running()).etag, before.etag);

	const newline = await files.admin.request('PATCH', '/api/v1/config', { json: { network: { hostname: 'exlb\nevil' } } });
	t.is(newline.status, 422);
	t.deepEqual(paths(newline.body), ['network.hostname']);
	const unknown = await files.admin.request('PATCH', '/api/v1/config', { json: { http: { bogusKey: 1 } } });
	t.is(unknown.status, 422);
	t.regex(JSON.stringify(unknown.body.error.errors), /bogusKey/);
	t.is((await running()).etag, before.etag);
});

test.serial('POST /config/check validates without applying; diff, save and the saved configuration follow', async (t) => {
	const before = await running();
	const checked = await files.admin.request('POST', '/api/v1/config/check', { json: { http: { timeout: 60 } } });
	t.is(checked.status, 200, checked.text);
	t.is(checked.body.config.http.timeout, 60);
	t.is((await running()).etag, before.etag);
	t.is((await files.admin.request('POST', '/api/v1/config/check', { json: { http: { timeout: 0 } } })).status, 422);

	const diff = await files.admin.request('GET', '/api/v1/config/diff');
	t.is(diff.status, 200);
	t.false(diff.body.saved);
	t.true(diff.body.changes.some((change: { path: string }) => change.path === 'casServers'));
	const nothingSaved = await files.admin.request('GET', '/api/v1/config/saved');
	t.is(nothingSaved.status, 404);
	t.regex(nothingSaved.body.error.message, /factory settings/);
	const saved = await files.admin.request('POST', '/api/v1/config/save');
	t.is(saved.status, 200);
	t.is(saved.body.etag, before.etag);
	const savedConfig = await files.admin.request('GET', '/api/v1/config/saved');
	t.deepEqual(savedConfig.body.casServers, before.config.casServers);
	t.is(savedConfig.headers.get('etag'), before.etag);
	t.deepEqual((await files.admin.request('GET', '/api/v1/config/diff')).body.changes, []);
});

test.serial('POST /network/confirm with nothing pending confirms nothing', async (t) => {
	const response = await files.admin.request('POST', '/api/v1/network/confirm');
	t.is(response.status, 200);
	t.false(response.body.confirmed);
});

test.serial('malformed JSON is a 400, a wrong content type a 415, an oversized body a 413, a body where none is taken a 422 naming its keys', async (t) => {
	const malformed = await files.admin.request('PATCH', '/api/v1/config', { body: '{"casServers": [', headers: { 'content-type': 'application/json' } });
	t.is(malformed.status, 400);
	t.is(malformed.body.error.kind, 'malformed');
	const text = await files.admin.request('PATCH', '/api/v1/config', { body: 'casServers=1', headers: { 'content-type': 'text/plain' } });
	t.is(text.status, 415);
	t.is(text.body.error.kind, 'unsupported-media-type');
	const huge = await files.admin.request('POST', '/api/v1/config/check', { json: { network: { hostname: 'x'.repeat(300 * 1024) } } });
	t.is(huge.status, 413);
	const stray = await files.admin.request('POST', '/api/v1/config/save', { json: { force: true } });
	t.is(stray.status, 422);
	t.deepEqual(paths(stray.body), ['force']);
	const proto = await files.admin.request('PATCH', '/api/v1/config', { body: '{"__proto__": {"casServers": []}}', headers: { 'content-type': 'application/json' } });
	t.is(proto.status, 400);
	for (const body of [malformed, text, huge, stray, proto]) t.notRegex(body.text, /\n\s+at /, 'never a stack');
});

test.serial('a path with .. is not found, encoded or not', async (t) => {
	t.is(await rawGet('/api/v1/../v1/config'), 404);
	t.is(await rawGet('/api/v1/%2e%2e/v1/config'), 404);
	t.is(await rawGet('/api/v1/certificates/..%2f..%2fetc'), 404);
	t.is(await rawGet('/api/v1/config'), 200);
});

test.serial('GET /status answers the daemons; PUT /servers/:role/:index/state checks its parameters by name and reaches the engine', async (t) => {
	const status = await files.admin.request('GET', '/api/v1/status');
	t.is(status.status, 200);
	t.true(Array.isArray(status.body.services));
	const badRole = await files.admin.request('PUT', '/api/v1/servers/web/1/state', { json: { state: 'drain' } });
	t.is(badRole.status, 422);
	t.deepEqual(paths(badRole.body), ['params.role']);
	const badIndex = await files.admin.request('PUT', '/api/v1/servers/cas/9/state', { json: { state: 'drain' } });
	t.deepEqual(paths(badIndex.body), ['params.index']);
	const badBody = await files.admin.request('PUT', '/api/v1/servers/cas/1/state', { json: { state: 'drain', force: true } });
	t.is(badBody.status, 422);
	t.deepEqual(paths(badBody.body), ['force']);
	const valid = await files.admin.request('PUT', '/api/v1/servers/cas/1/state', { json: { state: 'drain', maintAfterSeconds: 600 } });
	t.false([401, 403, 404, 422].includes(valid.status), `the engine answered: ${valid.status} ${valid.text}`);
	if (valid.status !== 200) t.notRegex(valid.text, /\n\s+at /);
});

test.serial('GET /status/history answers the traffic history the engine samples (haproxy not running here: gaps, no series)', async (t) => {
	const history = await files.admin.request('GET', '/api/v1/status/history');
	t.is(history.status, 200, history.text);
	t.is(history.body.intervalSeconds, 10);
	t.true(Array.isArray(history.body.times));
	t.true(history.body.times.length >= 1, 'the engine samples as soon as it starts');
	t.deepEqual(history.body.services, []);
	t.deepEqual(history.body.servers, []);
	t.is((await files.web.client().request('GET', '/api/v1/status/history')).status, 401);
});

test.serial('certificates: import a PEM (multipart), list it, refuse a wrong PFX password, make a CSR, delete it', async (t) => {
	const { pem, dir } = await certificatePem('mail.corp.example');
	const imported = await files.admin.request('POST', '/api/v1/certificates', { body: upload({ name: 'corp' }, { name: 'corp.pem', content: pem }) });
	t.is(imported.status, 201, imported.text);
	t.is(imported.body.certificate.commonName, 'mail.corp.example');
	const listed = await files.admin.request('GET', '/api/v1/certificates');
	t.true(listed.body.certificates.some((cert: { name: string }) => cert.name === 'corp'));

	await execa('openssl', ['pkcs12', '-export', '-inkey', `${dir}/key.pem`, '-in', `${dir}/cert.pem`, '-out', `${dir}/corp.pfx`, '-passout', 'pass:right-one']);
	const pfx = await readFile(`${dir}/corp.pfx`);
	const wrongPassword = await files.admin.request('POST', '/api/v1/certificates', { body: upload({ name: 'corppfx', password: 'wrong-one' }, { name: 'corp.pfx', content: pfx }) });
	t.is(wrongPassword.status, 422, wrongPassword.text);
	t.deepEqual(paths(wrongPassword.body), ['password'], 'a wrong .pfx password is named as the password field');
	const withPassword = await files.admin.request('POST', '/api/v1/certificates', { body: upload({ name: 'corppfx', password: 'right-one' }, { name: 'corp.pfx', content: pfx }) });
	t.is(withPassword.status, 201, withPassword.text);

	const csr = await files.admin.request('POST', '/api/v1/certificates/csr', { json: { name: 'nextyear', commonName: 'mail.corp.example', altNames: ['autodiscover.corp.example'] } });
	t.is(csr.status, 200, csr.text);
	t.regex(csr.body.csr, /-----BEGIN CERTIFICATE REQUEST-----/);
	t.notRegex(csr.text, /PRIVATE KEY/);

	t.is((await files.admin.request('DELETE', '/api/v1/certificates/corp')).status, 204);
	t.false((await files.admin.request('GET', '/api/v1/certificates')).body.certificates.some((cert: { name: string }) => cert.name === 'corp'));
	const badName = await files.admin.request('DELETE', '/api/v1/certificates/Bad%20Name');
	t.is(badName.status, 422);
	t.deepEqual(paths(badName.body), ['params.name']);
});

test.serial('a certificate upload over 64 KiB is a 413, an unknown form field a 422 naming it, and JSON instead of a form a 415', async (t) => {
	const big = await files.admin.request('POST', '/api/v1/certificates', { body: upload({ name: 'big' }, { name: 'big.pem', content: 'A'.repeat(100 * 1024) }) });
	t.is(big.status, 413);
	t.is(big.body.error.kind, 'too-large');
	const { pem } = await certificatePem('mail.corp.example');
	const stray = await files.admin.request('POST', '/api/v1/certificates', { body: upload({ name: 'stray', owner: 'me' }, { name: 'x.pem', content: pem }) });
	t.is(stray.status, 422);
	t.deepEqual(paths(stray.body), ['owner']);
	const json = await files.admin.request('POST', '/api/v1/certificates', { json: { name: 'json', pem } });
	t.is(json.status, 415);
	t.false((await files.admin.request('GET', '/api/v1/certificates')).body.certificates.some((cert: { name: string }) => ['big', 'stray', 'json'].includes(cert.name)));
});

test.serial('services: the four are listed; an action reaches the engine; an unknown service or action is refused by name', async (t) => {
	const listed = await files.admin.request('GET', '/api/v1/services');
	t.deepEqual(listed.body.services.map((service: { name: string }) => service.name).sort(), ['haproxy', 'stunnel', 'system', 'vrrp']);
	const reload = await files.admin.request('POST', '/api/v1/services/haproxy/reload');
	t.is(reload.status, 200, reload.text);
	t.is(reload.body.service.name, 'haproxy');
	const unknown = await files.admin.request('POST', '/api/v1/services/sshd/start');
	t.is(unknown.status, 422);
	t.deepEqual(paths(unknown.body), ['params.name']);
	const badAction = await files.admin.request('POST', '/api/v1/services/haproxy/kill');
	t.deepEqual(paths(badAction.body), ['params.action']);
});

test.serial('system: the facts, a reboot, and power-off only with the password again', async (t) => {
	const info = await files.admin.request('GET', '/api/v1/system');
	t.is(info.status, 200);
	t.is(info.body.version, '9.9.9');
	t.is((await files.admin.request('POST', '/api/v1/system/reboot')).status, 202);
	t.true(files.web.engine.systemLog.some((line) => /reboot/.test(line)));
	const missing = await files.admin.request('POST', '/api/v1/system/power-off', { json: {} });
	t.is(missing.status, 422);
	t.deepEqual(paths(missing.body), ['password']);
	const wrong = await files.admin.request('POST', '/api/v1/system/power-off', { json: { password: 'not it' } });
	t.is(wrong.status, 403);
	t.deepEqual(paths(wrong.body), ['password']);
	t.false(files.web.engine.systemLog.some((line) => /power-off/.test(line)), 'nothing was done');
	t.is((await files.admin.request('POST', '/api/v1/system/power-off', { json: { password: adminPassword } })).status, 202);
	t.true(files.web.engine.systemLog.some((line) => /power-off/.test(line)));
});

test.serial('the audit log lists the changes made through the API, with who and from where, never a value', async (t) => {
	const audit = await files.admin.request('GET', '/api/v1/audit?limit=50');
	t.is(audit.status, 200);
	const patch = audit.body.entries.find((entry: { operation: string; outcome: string }) => entry.operation === 'config.patch' && entry.outcome === 'done');
	t.truthy(patch);
	t.deepEqual(patch.actor, { user: 'admin', address: '127.0.0.1', via: 'web' });
	t.deepEqual(patch.paths, ['hubServers'], 'the newest PATCH changed hubServers');
	t.false(audit.text.includes('"10.0.0.20"'), 'field paths only, never their values');
	t.false(audit.text.includes(adminPassword));
	const badLimit = await files.admin.request('GET', '/api/v1/audit?limit=0');
	t.is(badLimit.status, 422);
	t.deepEqual(paths(badLimit.body), ['query.limit']);
});

test.serial('factory reset asks for the password again, then ends the sessions and brings back admin/admin', async (t) => {
	t.is((await files.admin.request('POST', '/api/v1/system/factory-reset', { json: { password: 'not it' } })).status, 403);
	t.is((await files.admin.request('POST', '/api/v1/system/factory-reset', { json: { password: adminPassword } })).status, 202);
	t.is((await files.admin.request('GET', '/api/v1/config')).status, 401);
	const fresh = files.web.client();
	const login = await fresh.login('admin', 'admin');
	t.is(login.status, 200);
	t.true(login.body.passwordChangeRequired);
});
