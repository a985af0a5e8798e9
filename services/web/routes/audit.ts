// The audit log: every state change, who made it, from where, which fields (never their values).
import { Type } from '@sinclair/typebox';
import { operations } from '../../engine/protocol.js';
import { callEngine, type WebApp } from '../context.js';
import { responses, tags } from '../route-schemas.js';

const AuditQuery = Type.Object({ limit: Type.Optional({ ...operations['audit.list'].params.properties.limit, default: 100 }) }, { additionalProperties: false });

export async function auditRoutes(app: WebApp): Promise<void> {
	app.get('/api/v1/audit', {
		schema: { tags: [tags.audit], summary: 'Audit log', description: operations['audit.list'].description, querystring: AuditQuery, response: responses(200, operations['audit.list'].result) },
	}, async (request) => callEngine(request, 'audit.list', { limit: request.query.limit ?? 100 }));
}
