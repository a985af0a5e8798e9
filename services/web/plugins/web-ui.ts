// The browser interface (web-ui/, built by esbuild into EXLB_WEB_UI): index.html on / with `no-cache` (it names the
// current assets), the content-hashed assets under /assets/ cached for a year as immutable, each sent in its
// precompressed form (brotli or gzip, made at build time) when the browser accepts one. No login is needed to load
// them (the interface logs in through the API). Without a built interface in that directory, / keeps the page that
// points to the API reference.
import { access } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { WebApp } from '../context.js';

const placeholderPage = (version: string) => '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>exlb</title>'
	+ '<link rel="stylesheet" href="/api/v1/reference.css"></head><body>'
	+ `<h1>exlb ${version.replace(/[^\w.+-]/g, '')}</h1>`
	+ '<p>The browser interface is not installed here (EXLB_WEB_UI names no built interface). The appliance is managed through its REST API:</p>'
	+ '<ul><li><a href="/api/v1/reference">API reference</a></li><li><a href="/api/v1/openapi.json">OpenAPI 3.1 document</a></li></ul></body></html>\n';

/** True when `dir` holds a built interface (its index.html). */
export async function hasWebUi(dir: string): Promise<boolean> {
	return access(path.join(dir, 'index.html')).then(() => true, () => false);
}

export async function webUiRoutes(app: WebApp, uiDir: string | null, version: string): Promise<void> {
	// Every route of this scope is public: the files are the same on every appliance, and hold no data.
	app.addHook('onRoute', (route) => {
		route.config = { ...route.config, access: 'public' };
	});
	if (uiDir === null || !(await hasWebUi(uiDir))) {
		app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(placeholderPage(version)));
		return;
	}
	await app.register(fastifyStatic, {
		root: path.join(uiDir, 'assets'),
		prefix: '/assets/',
		preCompressed: true,
		immutable: true,
		maxAge: '365d',
		index: false,
		serveDotFiles: false,
	});
	app.get('/', { schema: { hide: true } }, async (_request, reply) => {
		void reply.header('cache-control', 'no-cache');
		return reply.sendFile('index.html', uiDir, { cacheControl: false });
	});
}
