// The web server's pure request rules: CSRF token and Origin checks, dot segments in paths, the bearer-token cache,
// and how every error becomes a status and the one error body (never a stack).
import test from 'ava';
import { BearerCache } from '../../../services/web/auth/bearer-cache.js';
import { csrfTokenProblem, isStateChanging, newCsrfToken, originProblem } from '../../../services/web/auth/csrf.js';
import { errorBody, webErrorOf, WebError, type WebErrorKind } from '../../../services/web/errors.js';
import { EngineProblem, EngineUnavailableError } from '../../../services/engine/client.js';
import { hasDotSegment } from '../../../services/web/plugins/request-shape.js';

test('only GET, HEAD and OPTIONS are safe', (t) => {
	for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) t.true(isStateChanging(method));
	for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) t.false(isStateChanging(method));
});

test('Origin: absent is accepted; it must otherwise be this server, https and the same host and port', (t) => {
	t.is(originProblem(undefined, '10.0.0.17:4444'), null);
	t.is(originProblem('https://10.0.0.17:4444', '10.0.0.17:4444'), null);
	t.is(originProblem('HTTPS://EXLB.example:4444', 'exlb.example:4444'), null);
	t.regex(originProblem('https://evil.example', '10.0.0.17:4444')!, /not this server/);
	t.truthy(originProblem('http://10.0.0.17:4444', '10.0.0.17:4444'));
	t.truthy(originProblem('https://10.0.0.17:4445', '10.0.0.17:4444'));
	t.truthy(originProblem('null', '10.0.0.17:4444'));
	t.truthy(originProblem('https://10.0.0.17:4444', undefined));
});

test('the CSRF token must be sent once and equal the session\'s', (t) => {
	const token = newCsrfToken();
	t.regex(token, /^[A-Za-z0-9_-]{43}$/);
	t.is(csrfTokenProblem(token, token), null);
	t.regex(csrfTokenProblem(undefined, token)!, /missing/);
	t.regex(csrfTokenProblem('', token)!, /missing/);
	t.regex(csrfTokenProblem(newCsrfToken(), token)!, /does not match/);
	t.regex(csrfTokenProblem('short', token)!, /does not match/);
	t.regex(csrfTokenProblem([token, token], token)!, /more than once/);
});

test('dot segments, encoded or not, and encoded slashes inside a segment are found; ordinary paths are not', (t) => {
	for (const url of ['/api/v1/../etc', '/api/v1/./config', '/api/v1/%2e%2e/x', '/api/v1/%2E%2E', '/api/v1/a%2fb', '/api/v1/a%5cb', '/api/v1/%zz']) t.true(hasDotSegment(url), url);
	for (const url of ['/api/v1/config', '/api/v1/config?x=..', '/api/v1/certificates/corp.pem', '/']) t.false(hasDotSegment(url), url);
});

test('the bearer cache keeps a token for its lifetime, bounded in size, and forgets everything on clear', (t) => {
	let now = 0;
	const cache = new BearerCache(10_000, 2, () => now);
	cache.set('secret-1', { id: '1', name: 'one' });
	t.deepEqual(cache.get('secret-1'), { id: '1', name: 'one' });
	now = 10_000;
	t.is(cache.get('secret-1'), undefined);
	cache.set('secret-1', { id: '1', name: 'one' });
	cache.set('secret-2', { id: '2', name: 'two' });
	cache.set('secret-3', { id: '3', name: 'three' });
	t.is(cache.get('secret-1'), undefined, 'the oldest went first');
	cache.clear();
	t.is(cache.get('secret-3'), undefined);
});

test('engine problems map to their status codes, and every body has the one shape without a stack', (t) => {
	const cases: [unknown, number, WebErrorKind][] = [
		[new EngineProblem({ kind: 'invalid', message: 'refused', errors: [{ path: 'http.casHttpPort', message: 'not a port' }] }), 422, 'invalid'],
		[new EngineProblem({ kind: 'refused-by-daemon', message: 'haproxy said no' }), 422, 'refused-by-daemon'],
		[new EngineProblem({ kind: 'conflict', message: 'stale' }), 409, 'conflict'],
		[new EngineProblem({ kind: 'busy', message: 'applying' }), 409, 'busy'],
		[new EngineProblem({ kind: 'not-found', message: 'no such token' }), 404, 'not-found'],
		[new EngineProblem({ kind: 'unauthorized', message: 'wrong password' }), 403, 'unauthorized'],
		[new EngineProblem({ kind: 'too-many', message: 'too many', retryAfterSeconds: 7 }), 429, 'too-many'],
		[new EngineProblem({ kind: 'failed', message: 'haproxy did not reload' }), 500, 'failed'],
		[new EngineUnavailableError('no socket'), 503, 'unavailable'],
		[new TypeError('cannot read x of undefined'), 500, 'failed'],
	];
	for (const [error, status, kind] of cases) {
		const web = webErrorOf(error);
		t.is(web.status, status, kind);
		t.is(web.kind, kind);
		t.notRegex(JSON.stringify(errorBody(web)), /\n\s+at |TypeError/);
	}
	t.is(webErrorOf(new EngineProblem({ kind: 'busy', message: 'applying' })).retryAfterSeconds, 2);
	t.is(webErrorOf(new EngineProblem({ kind: 'too-many', message: 'x', retryAfterSeconds: 7 })).retryAfterSeconds, 7);
	const body = errorBody(webErrorOf(cases[0]![0]));
	t.deepEqual(body, { error: { kind: 'invalid', message: 'refused', errors: [{ path: 'http.casHttpPort', message: 'not a port' }] }, errors: [{ path: 'http.casHttpPort', message: 'not a port' }] });
	t.deepEqual(errorBody(new WebError(401, 'unauthenticated', 'log in')), { error: { kind: 'unauthenticated', message: 'log in' } });
});

test('a schema refusal names each field once, with its part of the request', (t) => {
	const error = Object.assign(new Error('invalid'), {
		statusCode: 400,
		validationContext: 'params',
		validation: [{ instancePath: '/index', message: 'Expected integer' }, { instancePath: '/index', message: 'Expected union value' }, { instancePath: '/role', message: 'Unexpected property' }],
	});
	const web = webErrorOf(error);
	t.is(web.status, 422);
	t.deepEqual(web.errors, [{ path: 'params.index', message: 'Expected integer' }, { path: 'params.role', message: 'is not a known field' }]);
});
