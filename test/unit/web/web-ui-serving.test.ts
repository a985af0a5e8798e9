// How the web server serves the browser interface (Fastify's inject, no engine behind it: these routes never ask it):
// the built page and its assets when EXLB_WEB_UI holds a build, the page pointing to the API reference when not.
import test from 'ava';
import { buildWebServer } from '../../../services/web/server.js';
import type { EngineCaller } from '../../../services/engine/client.js';
import { builtWebUi } from '../../helpers/web-ui-build.js';

const noEngine: EngineCaller = { call: async () => { throw new Error('the interface\'s files never ask the engine'); } } as unknown as EngineCaller;

const serverWith = (uiDir: string | null) => buildWebServer({ engine: noEngine, tls: null, version: '1.2.3', uiDir, logger: false });

test('a built interface: index.html on / (no-cache), the hashed assets immutable, brotli or gzip as accepted, unknown ones 404', async (t) => {
	const { dir, build } = await builtWebUi();
	const app = await serverWith(dir);
	t.teardown(() => app.close());
	const page = await app.inject({ method: 'GET', url: '/' });
	t.is(page.statusCode, 200);
	t.is(page.headers['cache-control'], 'no-cache');
	t.true(page.body.includes(`src="${build.script}"`));
	const brotli = await app.inject({ method: 'GET', url: build.script, headers: { 'accept-encoding': 'br, gzip' } });
	t.is(brotli.headers['content-encoding'], 'br');
	t.is(brotli.headers['cache-control'], 'public, max-age=31536000, immutable');
	t.regex(String(brotli.headers['content-type']), /javascript/);
	const gzip = await app.inject({ method: 'GET', url: build.stylesheet, headers: { 'accept-encoding': 'gzip' } });
	t.is(gzip.headers['content-encoding'], 'gzip');
	const plain = await app.inject({ method: 'GET', url: build.stylesheet });
	t.is(plain.headers['content-encoding'], undefined);
	t.regex(plain.body, /system-ui/);
	t.is((await app.inject({ method: 'GET', url: '/assets/main-NOTHERE.js' })).statusCode, 404);
	t.is((await app.inject({ method: 'GET', url: '/assets/../index.html' })).statusCode, 404);
});

test('no built interface: / points to the API reference, and nothing is served under /assets/', async (t) => {
	for (const uiDir of [null, '/nonexistent/web-ui']) {
		const app = await serverWith(uiDir);
		const page = await app.inject({ method: 'GET', url: '/' });
		t.is(page.statusCode, 200);
		t.regex(page.body, /exlb 1\.2\.3/);
		t.regex(page.body, /href="\/api\/v1\/reference"/);
		t.notRegex(page.body, /<script/);
		t.is((await app.inject({ method: 'GET', url: '/assets/main.js' })).statusCode, 404);
		await app.close();
	}
});
