// The live state of the load balancer and the server-wide drain of one Exchange server for patching.
import { Type } from '@sinclair/typebox';
import { operations } from '../../engine/protocol.js';
import { callEngine, type WebApp } from '../context.js';
import { engineRoute } from '../engine-route.js';
import { responses, tags } from '../route-schemas.js';

const setState = operations['servers.setState'];
const ServerParams = Type.Pick(setState.params, ['role', 'index'], { additionalProperties: false });
const StateBody = Type.Omit(setState.params, ['role', 'index'], { additionalProperties: false });

export async function statusRoutes(app: WebApp): Promise<void> {
	engineRoute(app, 'GET', '/api/v1/status', 'status.get', { tag: tags.status, summary: 'Status' });
	engineRoute(app, 'GET', '/api/v1/status/history', 'status.history', { tag: tags.status, summary: 'Traffic over the last hour' });

	app.put('/api/v1/servers/:role/:index/state', {
		schema: {
			tags: [tags.status], summary: 'Drain, maintenance or ready for one Exchange server',
			description: `${setState.description}. state: ready, drain (no new sessions; existing ones finish) or maint; maintAfterSeconds moves a drained server to maintenance after that long.`,
			params: ServerParams,
			body: StateBody,
			response: responses(200, setState.result),
		},
	}, async (request) => callEngine(request, 'servers.setState', { ...request.params, ...request.body }));
}
