// What a request may look like before any route sees it: no dot segments in the path (404, whatever follows),
// JSON bodies only (text/plain is not read: 415), and no body at all where a route takes none (its keys are named).
import type { FastifyInstance } from 'fastify';
import { WebError } from '../errors.js';

/** `..` or `.` as a path segment (also percent-encoded), or an encoded slash or backslash inside one. */
export function hasDotSegment(url: string): boolean {
	const path = url.split('?', 1)[0] ?? '';
	return path.split('/').some((segment) => {
		let decoded: string;
		try {
			decoded = decodeURIComponent(segment);
		} catch {
			return true;
		}
		return decoded === '.' || decoded === '..' || /[/\\]/.test(decoded);
	});
}

export function registerRequestShape(app: FastifyInstance): void {
	app.removeContentTypeParser('text/plain');
	app.addHook('onRequest', async (request) => {
		if (hasDotSegment(request.url)) throw new WebError(404, 'not-found', 'no such resource');
	});
	app.addHook('preValidation', async (request) => {
		if (request.routeOptions.schema?.body !== undefined || request.body === undefined || request.body === null) return;
		const keys = typeof request.body === 'object' && !Array.isArray(request.body) ? Object.keys(request.body) : null;
		if (keys !== null && keys.length === 0) return;
		const errors = keys === null ? [{ path: '', message: 'this request takes no body' }] : keys.slice(0, 20).map((key) => ({ path: key.slice(0, 64), message: 'is not a known field (this request takes no body)' }));
		throw new WebError(422, 'invalid', `the request was refused: ${errors.map((error) => `${error.path || 'body'} ${error.message}`).join('; ')}`, errors);
	});
}
