// The original appliance's four services (system, vrrp, haproxy, stunnel): their state, and start/stop/restart/reload.
import { operations } from '../../engine/protocol.js';
import { callEngine, type WebApp } from '../context.js';
import { engineRoute } from '../engine-route.js';
import { responses, tags } from '../route-schemas.js';

export async function servicesRoutes(app: WebApp): Promise<void> {
	engineRoute(app, 'GET', '/api/v1/services', 'services.list', { tag: tags.services, summary: 'Services' });

	app.post('/api/v1/services/:name/:action', {
		schema: {
			tags: [tags.services], summary: 'Start, stop, restart or reload a service', description: operations['services.control'].description,
			params: operations['services.control'].params, response: responses(200, operations['services.control'].result),
		},
	}, async (request) => callEngine(request, 'services.control', request.params));
}
