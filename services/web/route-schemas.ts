// Pieces every route's schema uses: the success response with the error responses beside it (the shared "Error"
// schema), the empty 204, and the tag each area is listed under in the API description.
import { Type, type TSchema } from '@sinclair/typebox';
import { operations } from '../engine/protocol.js';
import { ErrorBodySchema } from './errors.js';

const errorRef = Type.Ref(ErrorBodySchema);

export const NoContent = Type.Null({ description: 'done; no body' });

/** The body of an action that asks for the password again (power-off, the firmware's changes). */
export const PasswordAgain = Type.Object({ password: operations['auth.login'].params.properties.password }, { additionalProperties: false, description: 'the account\'s password, asked again' });

/** `{ [status]: schema, 4xx: Error, 5xx: Error }` for a route's `response`. */
export function responses<S extends number, T extends TSchema>(status: S, schema: T) {
	return { [status]: schema, '4xx': errorRef, '5xx': errorRef } as { [K in S]: T } & { '4xx': typeof errorRef; '5xx': typeof errorRef };
}

export const tags = {
	session: 'Session and account',
	config: 'Configuration',
	history: 'Configuration history',
	backup: 'Backup and restore',
	firmware: 'Firmware',
	status: 'Status and drain',
	certificates: 'Certificates',
	services: 'Services',
	system: 'System',
	tokens: 'API tokens',
	audit: 'Audit log',
	ha: 'High availability',
	reference: 'API description',
} as const;

/** The security requirement of a public route (OpenAPI: none). */
export const publicSecurity: readonly Record<string, string[]>[] = [];
