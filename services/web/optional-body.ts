// A route whose JSON body is optional (a save's comment, a revert's options): no body reads as {}, so the body
// schema still names every stray field (422) and a request without one is the plain operation.
import type { FastifyRequest } from 'fastify';

export async function optionalBody(request: FastifyRequest): Promise<void> {
	if (request.body === undefined || request.body === null) request.body = {};
}
