// The HA pair (services/ha): its status for the dashboard, pairing (a one-time code offered on the node to be the
// config secondary, typed on the primary), unpairing, "sync now" and the "sync on save" setting. The nodes talk to
// each other on their own peer channel (port 4445, mutual TLS with pinned certificates), never through this API.
import { operations } from '../../engine/protocol.js';
import { callEngine, type WebApp } from '../context.js';
import { engineRoute } from '../engine-route.js';
import { responses, tags } from '../route-schemas.js';

const pair = operations['ha.pair'];
const settings = operations['ha.settings'];

export async function haRoutes(app: WebApp): Promise<void> {
	engineRoute(app, 'GET', '/api/v1/ha', 'ha.status', { tag: tags.ha, summary: 'The HA pair: pairing, peer, configuration sync' });
	engineRoute(app, 'POST', '/api/v1/ha/offer', 'ha.offer', { tag: tags.ha, summary: 'Offer a pairing code (on the node to be the config secondary)' });
	engineRoute(app, 'POST', '/api/v1/ha/unpair', 'ha.unpair', { tag: tags.ha, summary: 'Unpair' });
	engineRoute(app, 'POST', '/api/v1/ha/sync', 'ha.sync', { tag: tags.ha, summary: 'Sync now' });

	app.post('/api/v1/ha/pair', {
		schema: {
			tags: [tags.ha], summary: 'Pair with the node that offers a code (on the config primary)',
			description: `${pair.description}. A wrong code uses one of the offer's 5 attempts (422, field "code"); two nodes set to the same ha.role are refused (409).`,
			body: pair.params, response: responses(200, pair.result),
		},
	}, async (request) => callEngine(request, 'ha.pair', request.body));

	app.put('/api/v1/ha/settings', {
		schema: { tags: [tags.ha], summary: 'Sync on save', description: settings.description, body: settings.params, response: responses(200, settings.result) },
	}, async (request) => callEngine(request, 'ha.settings', request.body));
}
