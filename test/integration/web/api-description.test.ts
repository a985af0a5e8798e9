// What anyone may read without logging in (the OpenAPI 3.1 document, the offline reference page, the landing page)
// and what every client gets (TLS 1.2 or later only), against the real web server process.
import { connect } from 'node:tls';
import test from 'ava';
import { Validator } from '@seriousme/openapi-schema-validator';
import { execa } from 'execa';
import { operationNames } from '../../../services/engine/protocol.js';
import { tlsHostName, webForThisFile } from './web-for-this-file.js';

const files = webForThisFile({ withAdmin: false });

test('GET /api/v1/openapi.json needs no login and is a valid OpenAPI 3.1 document covering the API', async (t) => {
	const response = await files.web.client().request('GET', '/api/v1/openapi.json');
	t.is(response.status, 200);
	const document = response.body;
	t.is(document.openapi, '3.1.0');
	const validator = new Validator();
	const result = await validator.validate(document);
	t.true(result.valid, JSON.stringify(result.errors)?.slice(0, 2000));
	for (const path of ['/api/v1/session', '/api/v1/account/password', '/api/v1/config', '/api/v1/config/saved', '/api/v1/config/diff', '/api/v1/config/check',
		'/api/v1/config/save', '/api/v1/network/confirm', '/api/v1/status', '/api/v1/servers/{role}/{index}/state', '/api/v1/certificates', '/api/v1/certificates/csr',
		'/api/v1/services', '/api/v1/services/{name}/{action}', '/api/v1/system', '/api/v1/system/reboot', '/api/v1/system/power-off', '/api/v1/system/factory-reset',
		'/api/v1/tokens', '/api/v1/audit', '/api/v1/sessions']) {
		t.truthy(document.paths[path], path);
	}
	t.truthy(document.paths['/api/v1/config'].patch.requestBody);
	t.is(document.paths['/api/v1/session'].post.security.length, 0, 'login is public');
	t.is(document.paths['/api/v1/config'].get.security, undefined, 'the document-wide session/bearer requirement applies');
	t.truthy(document.components.schemas.Config, 'the configuration schema is shared by name');
	t.truthy(document.components.schemas.Error);
	t.true(operationNames.length > 0);
});

test('only the login, the API description and the landing page are public: every other route needs a login', async (t) => {
	const document = (await files.web.client().request('GET', '/api/v1/openapi.json')).body;
	const client = files.web.client();
	const publicOnes: string[] = [];
	for (const [path, item] of Object.entries<Record<string, unknown>>(document.paths)) {
		for (const method of Object.keys(item)) {
			const concrete = path.replace('{role}', 'cas').replace('{index}', '1').replace('{name}', 'haproxy').replace('{action}', 'reload').replace('{id}', 'abc');
			const response = await client.request(method.toUpperCase(), concrete, { headers: { origin: files.web.origin } });
			if (response.status !== 401) publicOnes.push(`${method.toUpperCase()} ${path}`);
		}
	}
	t.deepEqual(publicOnes.sort(), ['GET /api/v1/openapi.json', 'POST /api/v1/session']);
});

test('the reference page needs no login, has no script and is served under the strict CSP', async (t) => {
	const page = await files.web.client().request('GET', '/api/v1/reference');
	t.is(page.status, 200);
	t.regex(page.headers.get('content-type') ?? '', /^text\/html/);
	t.notRegex(page.text, /<script|\sstyle=|\son[a-z]+=/i);
	t.regex(page.text, /PATCH<\/span> <code>\/api\/v1\/config<\/code>/);
	t.regex(page.text, /href="\/api\/v1\/reference.css"/);
	const css = await files.web.client().request('GET', '/api/v1/reference.css');
	t.is(css.status, 200);
	t.regex(css.headers.get('content-type') ?? '', /^text\/css/);
});

test('/ is the browser interface: no inline script or style, never cached; its hashed assets are public, cached a year and precompressed', async (t) => {
	const client = files.web.client();
	const page = await client.request('GET', '/');
	t.is(page.status, 200);
	t.regex(page.headers.get('content-type') ?? '', /^text\/html/);
	t.is(page.headers.get('cache-control'), 'no-cache');
	t.regex(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
	t.notRegex(page.text, /<script>|<script [^>]*>[^<]|\sstyle=|\son[a-z]+=/i);
	t.regex(page.text, /href="\/api\/v1\/reference"/, 'a page without JavaScript points to the API reference');
	const script = /<script type="module" src="(\/assets\/main-[A-Z0-9]+\.js)">/.exec(page.text)?.[1];
	const stylesheet = /<link rel="stylesheet" href="(\/assets\/main-[A-Z0-9]+\.css)">/.exec(page.text)?.[1];
	t.truthy(script);
	t.truthy(stylesheet);
	for (const asset of [script!, stylesheet!]) {
		const answer = await client.request('GET', asset, { headers: { 'accept-encoding': 'br, gzip' } });
		t.is(answer.status, 200, asset);
		t.is(answer.headers.get('cache-control'), 'public, max-age=31536000, immutable', asset);
		t.is(answer.headers.get('content-encoding'), 'br', asset);
	}
	const gzip = await client.request('GET', script!, { headers: { 'accept-encoding': 'gzip' } });
	t.is(gzip.headers.get('content-encoding'), 'gzip');
	t.is((await client.request('GET', '/assets/nothing-here.js')).status, 404);
	t.is((await client.request('GET', '/assets/%2e%2e/index.html')).status, 404);
});

function tlsVersion(options: { minVersion?: 'TLSv1.2' | 'TLSv1.3'; maxVersion?: 'TLSv1.2' | 'TLSv1.3' }): Promise<string | null> {
	return new Promise((resolve, reject) => {
		const socket = connect({ host: '127.0.0.1', port: files.web.port, ca: files.web.pem, servername: tlsHostName, ...options }, () => {
			resolve(socket.getProtocol());
			socket.end();
		});
		socket.on('error', reject);
	});
}

test('TLS 1.2 and 1.3 are served; TLS 1.1 and 1.0 are refused', async (t) => {
	t.is(await tlsVersion({ maxVersion: 'TLSv1.2' }), 'TLSv1.2');
	t.is(await tlsVersion({ minVersion: 'TLSv1.3' }), 'TLSv1.3');
	for (const version of ['-tls1_1', '-tls1']) {
		// OpenSSL's own client at security level 0, which still speaks the old versions: the server must say no.
		const result = await execa('openssl', ['s_client', '-connect', `127.0.0.1:${files.web.port}`, version, '-cipher', 'DEFAULT:@SECLEVEL=0'], { input: '', reject: false, timeout: 30_000 });
		t.not(result.exitCode, 0, version);
		t.regex(result.stdout, /Cipher is \(NONE\)/, `${version}: no session was made`);
	}
});
