// API tokens for automation: listed without their secret, created (the secret is in that answer only), revoked.
import { Type } from '@sinclair/typebox';
import { operations } from '../../engine/protocol.js';
import { callEngine, type WebApp } from '../context.js';
import { engineRoute } from '../engine-route.js';
import { NoContent, responses, tags } from '../route-schemas.js';

const TokenId = Type.Object({ id: operations['tokens.revoke'].params.properties.id }, { additionalProperties: false });

export async function tokenRoutes(app: WebApp): Promise<void> {
	engineRoute(app, 'GET', '/api/v1/tokens', 'tokens.list', { tag: tags.tokens, summary: 'API tokens' });

	app.post('/api/v1/tokens', {
		schema: {
			tags: [tags.tokens], summary: 'Create an API token',
			description: `${operations['tokens.create'].description}. The secret is shown in this answer only; send it as Authorization: Bearer <secret>.`,
			body: operations['tokens.create'].params, response: responses(201, operations['tokens.create'].result),
		},
	}, async (request, reply) => reply.code(201).send(await callEngine(request, 'tokens.create', request.body)));

	app.delete('/api/v1/tokens/:id', {
		schema: { tags: [tags.tokens], summary: 'Revoke an API token', description: operations['tokens.revoke'].description, params: TokenId, response: responses(204, NoContent) },
	}, async (request, reply) => {
		await callEngine(request, 'tokens.revoke', request.params);
		app.web.bearerTokens.clear();
		return reply.code(204).send(null);
	});
}
