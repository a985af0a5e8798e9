// The saved configuration's history: its revisions (who, when, from where, why), the difference between any two,
// and the revert of one (applied, then saved as a new revision).
import { Type } from '@sinclair/typebox';
import { operations } from '../../engine/protocol.js';
import { callEngine, type WebApp } from '../context.js';
import { engineRoute } from '../engine-route.js';
import { optionalBody } from '../optional-body.js';
import { responses, tags } from '../route-schemas.js';

const revert = operations['history.revert'];
const RevisionParams = Type.Object({ id: revert.params.properties.id }, { additionalProperties: false });
const { id: _id, ...revertOptions } = revert.params.properties;
const RevertBody = Type.Object(revertOptions, { additionalProperties: false });

export async function historyRoutes(app: WebApp): Promise<void> {
	engineRoute(app, 'GET', '/api/v1/config/history', 'history.list', { tag: tags.history, summary: 'Revisions of the saved configuration' });

	app.get('/api/v1/config/history/diff', {
		schema: {
			tags: [tags.history], summary: 'Difference between two revisions', description: `${operations['history.diff'].description}; ?from=N&to=M`,
			querystring: operations['history.diff'].params, response: responses(200, operations['history.diff'].result),
		},
	}, async (request) => callEngine(request, 'history.diff', request.query));

	app.post('/api/v1/config/history/:id/revert', {
		schema: {
			tags: [tags.history], summary: 'Revert to a revision',
			description: `${revert.description}. Optional body: {"includeNetwork", "comment"}; without includeNetwork the appliance keeps its network settings and HA role. `
				+ 'A revision the daemons refuse changes nothing (422).',
			params: RevisionParams, body: RevertBody, response: responses(200, revert.result),
		},
		preValidation: optionalBody,
	}, async (request) => callEngine(request, 'history.revert', { ...request.body, id: request.params.id }));
}
