// The many routes that are one engine operation without parameters (read the status, list the services, save the
// configuration...): documented by the operation's own description, answered as the engine answers.
import { operations, type OperationName, type ParamsOf } from '../engine/protocol.js';
import { callEngine, type WebApp } from './context.js';
import { responses } from './route-schemas.js';

/** The operations whose parameters are the empty object. */
export type ParameterlessOperation = { [N in OperationName]: keyof ParamsOf<N> extends never ? N : never }[OperationName];

export function engineRoute(app: WebApp, method: 'GET' | 'POST', url: string, op: ParameterlessOperation, doc: { readonly tag: string; readonly summary: string }): void {
	const { description, result } = operations[op];
	app.route({
		method,
		url,
		schema: { tags: [doc.tag], summary: doc.summary, description, response: responses(200, result) },
		handler: async (request) => callEngine(request, op, {} as ParamsOf<typeof op>),
	});
}
