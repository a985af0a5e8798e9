// Every refusal and failure of the web API as one JSON shape, {"error": {kind, message, errors?}} (and the field
// errors again at the top level, as the issue's PATCH example reads them), with the status code its kind stands
// for. Nothing here ever sends a stack: an unexpected error is logged and answered with a fixed sentence.
import type { FastifyError, FastifyInstance } from 'fastify';
import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { EngineProblem, EngineUnavailableError } from '../engine/client.js';
import { FieldErrorSchema, problemKinds, type FieldError, type ProblemKind } from '../engine/protocol.js';

/** The engine's problem kinds and the refusals only the HTTP layer makes. */
export const webErrorKinds = [...problemKinds, 'malformed', 'unauthenticated', 'unsupported-media-type', 'too-large', 'unavailable'] as const;
export type WebErrorKind = (typeof webErrorKinds)[number];

export const ErrorBodySchema = Type.Object({
	error: Type.Object({
		kind: Type.Union(webErrorKinds.map((kind) => Type.Literal(kind))) as unknown as TUnion<TLiteral<WebErrorKind>[]>,
		message: Type.String(),
		errors: Type.Optional(Type.Array(FieldErrorSchema, { description: 'each field or header the refusal is about' })),
	}, { additionalProperties: false }),
	errors: Type.Optional(Type.Array(FieldErrorSchema, { description: 'the same field errors as error.errors' })),
}, { additionalProperties: false, $id: 'Error', title: 'Error', description: 'every 4xx and 5xx body' });
export type ErrorBody = Static<typeof ErrorBodySchema>;

/** A refusal decided by the web server itself (authentication, CSRF, a request it cannot read). */
export class WebError extends Error {
	override readonly name = 'WebError';
	readonly retryAfterSeconds: number | undefined;
	constructor(
		readonly status: number,
		readonly kind: WebErrorKind,
		message: string,
		readonly errors: readonly FieldError[] = [],
		options: { cause?: unknown; retryAfterSeconds?: number } = {},
	) {
		super(message, { cause: options.cause });
		this.retryAfterSeconds = options.retryAfterSeconds;
	}
}

const statusOfProblem: Record<ProblemKind, number> = {
	invalid: 422,
	'refused-by-daemon': 422,
	conflict: 409,
	busy: 409,
	'not-found': 404,
	// The engine says "unauthorized" to an authenticated caller whose password check failed (re-authentication).
	unauthorized: 403,
	'too-many': 429,
	failed: 500,
};

const kindOfStatus = (status: number): WebErrorKind => {
	switch (status) {
		case 404: return 'not-found';
		case 413: return 'too-large';
		case 415: return 'unsupported-media-type';
		case 429: return 'too-many';
		default: return status >= 500 ? 'failed' : 'malformed';
	}
};

/** JSON pointer (/patch/http/mode) → dotted path (patch.http.mode). */
const dotted = (pointer: string) => pointer.replace(/^\//, '').replace(/\//g, '.');

/** Fastify's schema refusal: one entry per field (TypeBox reports a union's every branch; the first says enough). */
function validationErrors(error: FastifyError): FieldError[] {
	const context = error.validationContext === 'body' || error.validationContext === undefined ? '' : `${error.validationContext === 'querystring' ? 'query' : error.validationContext}.`;
	const seen = new Map<string, string>();
	for (const entry of error.validation ?? []) {
		const path = `${context}${dotted(entry.instancePath)}`;
		const message = entry.message === 'Unexpected property' ? 'is not a known field' : (entry.message ?? 'is not valid');
		if (!seen.has(path)) seen.set(path, message);
	}
	return [...seen].slice(0, 20).map(([path, message]) => ({ path, message }));
}

/** What any thrown error means for the client. */
export function webErrorOf(error: unknown): WebError {
	if (error instanceof WebError) return error;
	if (error instanceof EngineProblem) {
		const { kind, message, errors, retryAfterSeconds } = error.problem;
		return new WebError(statusOfProblem[kind], kind, message, errors ?? [], { cause: error, retryAfterSeconds: retryAfterSeconds ?? (kind === 'busy' ? 2 : undefined) });
	}
	if (error instanceof EngineUnavailableError) return new WebError(503, 'unavailable', 'the appliance engine is not answering; try again shortly', [], { cause: error, retryAfterSeconds: 5 });
	const fastify = error as Partial<FastifyError>;
	if (fastify.validation !== undefined) {
		const errors = validationErrors(fastify as FastifyError);
		return new WebError(422, 'invalid', `the request was refused: ${errors.map((entry) => `${entry.path || 'body'} ${entry.message}`).join('; ')}`, errors, { cause: error });
	}
	const status = fastify.statusCode;
	if (typeof status === 'number' && status >= 400 && status < 500) return new WebError(status, kindOfStatus(status), fastify.message ?? 'the request was refused', [], { cause: error });
	return new WebError(500, 'failed', 'an unexpected error stopped this request; the web server\'s log has the details', [], { cause: error });
}

export function errorBody(error: WebError): ErrorBody {
	const errors = error.errors.length > 0 ? [...error.errors] : undefined;
	return { error: { kind: error.kind, message: error.message, ...(errors === undefined ? {} : { errors }) }, ...(errors === undefined ? {} : { errors }) };
}

/** The error and not-found handlers of the whole server. */
export function registerErrorHandling(app: FastifyInstance): void {
	app.addSchema(ErrorBodySchema);
	app.setErrorHandler((error, request, reply) => {
		const web = webErrorOf(error);
		if (web.status >= 500) request.log.error({ err: error }, `${request.method} ${request.routeOptions.url ?? 'unknown route'} failed`);
		if (web.retryAfterSeconds !== undefined) void reply.header('retry-after', String(web.retryAfterSeconds));
		if (web.status === 401) void reply.header('www-authenticate', 'Bearer realm="exlb"');
		return reply.code(web.status).type('application/json; charset=utf-8').send(errorBody(web));
	});
	app.setNotFoundHandler((request, reply) => {
		const body = errorBody(new WebError(404, 'not-found', `no such resource for ${request.method}`));
		return reply.code(404).type('application/json; charset=utf-8').send(body);
	});
}
