// Cross-site request forgery rules for cookie sessions (ASVS 4.2.2): a state-changing request must carry the
// X-CSRF-Token the login returned (bound to its session, so cookie tossing cannot plant one), and when the browser
// says where it comes from (Origin), that must be this server. SameSite=Strict on the cookie is the third layer.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const csrfHeader = 'x-csrf-token';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isStateChanging = (method: string): boolean => !safeMethods.has(method.toUpperCase());

export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

/** Why this request's Origin is refused, or null: absent is fine (curl, a same-origin GET), a foreign one is not. */
export function originProblem(origin: string | undefined, host: string | undefined): string | null {
	if (origin === undefined) return null;
	if (host === undefined || host === '') return 'the request names an Origin but no Host';
	const expected = `https://${host}`.toLowerCase();
	return origin.toLowerCase() === expected ? null : `Origin ${JSON.stringify(origin.slice(0, 100))} is not this server (${expected})`;
}

/** Why the X-CSRF-Token header does not prove the request comes from this session's page, or null. */
export function csrfTokenProblem(sent: string | string[] | undefined, expected: string): string | null {
	if (sent === undefined || sent === '') return `the ${csrfHeader} header is missing: send the csrfToken the login returned`;
	if (Array.isArray(sent)) return `the ${csrfHeader} header is sent more than once`;
	const left = Buffer.from(sent);
	const right = Buffer.from(expected);
	return left.length === right.length && timingSafeEqual(left, right) ? null : `the ${csrfHeader} header does not match this session's token`;
}
