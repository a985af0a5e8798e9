// The configuration: running and saved, their difference, a JSON merge patch checked (or checked and applied, with
// optimistic concurrency through ETag / If-Match), saving, and the confirmation of a network change.
import { Type } from '@sinclair/typebox';
import { ConfigSchema } from '../../config/schema.js';
import { operations } from '../../engine/protocol.js';
import { callEngine, serverAddress, type WebApp } from '../context.js';
import { engineRoute } from '../engine-route.js';
import { WebError } from '../errors.js';
import { optionalBody } from '../optional-body.js';
import { responses, tags } from '../route-schemas.js';

const mergePatchType = 'application/merge-patch+json';

/** `If-Match: *` asks for no particular version. */
const ifMatchOf = (header: string | undefined) => (header === undefined || header.trim() === '*' ? undefined : header.trim().slice(0, 128));

const PatchBody = operations['config.patch'].params.properties.patch;

export async function configRoutes(app: WebApp): Promise<void> {
	// RFC 7396's media type, read like JSON (Fastify's own parser: __proto__ and constructor keys are refused).
	app.addContentTypeParser(mergePatchType, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

	app.get('/api/v1/config', {
		schema: {
			tags: [tags.config], summary: 'The running configuration',
			description: 'The configuration in force now: the document a PATCH applies to. The ETag header carries its version (send it back as If-Match with a PATCH); '
				+ 'If-None-Match with it answers 304 while it is unchanged.',
			response: { ...responses(200, ConfigSchema), 304: Type.Null({ description: 'unchanged since the ETag sent as If-None-Match' }) },
		},
	}, async (request, reply) => {
		const { config, etag } = await callEngine(request, 'config.get', { source: 'running' });
		if (config === null || etag === null) throw new WebError(500, 'failed', 'the engine has no running configuration');
		void reply.header('etag', etag);
		if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
		return config;
	});

	app.get('/api/v1/config/saved', {
		schema: {
			tags: [tags.config], summary: 'The saved configuration',
			description: 'The configuration the appliance starts with, with its ETag; 404 while nothing is saved (the appliance starts with factory settings).',
			response: responses(200, ConfigSchema),
		},
	}, async (request, reply) => {
		const { config, etag } = await callEngine(request, 'config.get', { source: 'saved' });
		if (config === null || etag === null) throw new WebError(404, 'not-found', 'nothing is saved: the appliance starts with factory settings');
		void reply.header('etag', etag);
		return config;
	});

	engineRoute(app, 'GET', '/api/v1/config/diff', 'config.diff', { tag: tags.config, summary: 'Unsaved changes' });

	app.patch('/api/v1/config', {
		schema: {
			tags: [tags.config], summary: 'Change the configuration',
			description: `${operations['config.patch'].description}. Body: a JSON merge patch (RFC 7396; ${mergePatchType} or application/json). `
				+ 'A refusal (422) names every field; nothing changes. With If-Match, a configuration changed meanwhile answers 409.',
			headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 128, description: 'the ETag of the configuration the patch was made against' })) }),
			body: PatchBody,
			response: responses(200, operations['config.patch'].result),
		},
	}, async (request, reply) => {
		const ifMatch = ifMatchOf(request.headers['if-match']);
		const result = await callEngine(request, 'config.patch', { patch: request.body, ...(ifMatch === undefined ? {} : { ifMatch }) });
		void reply.header('etag', result.etag);
		return result;
	});

	app.post('/api/v1/config/check', {
		schema: { tags: [tags.config], summary: 'Check a change without applying it', description: operations['config.check'].description, body: PatchBody, response: responses(200, operations['config.check'].result) },
	}, async (request) => callEngine(request, 'config.check', { patch: request.body }));

	app.post('/api/v1/config/save', {
		schema: {
			tags: [tags.config], summary: 'Save the running configuration',
			description: `${operations['config.save'].description}. Optional body: {"comment"} (kept with the revision).`,
			body: operations['config.save'].params, response: responses(200, operations['config.save'].result),
		},
		preValidation: optionalBody,
	}, async (request) => callEngine(request, 'config.save', request.body));

	app.post('/api/v1/network/confirm', {
		schema: {
			tags: [tags.config], summary: 'Confirm a network change',
			description: `${operations['network.confirm'].description}: send it to the new address within the window the PATCH answered (pendingNetwork), or the previous settings come back.`,
			response: responses(200, operations['network.confirm'].result),
		},
	}, async (request) => callEngine(request, 'network.confirm', { serverAddress: serverAddress(request) }));
}
