// The session cookie (ASVS 3.4): __Host- prefixed (Secure, Path=/, no Domain: only this origin can set or read it),
// HttpOnly, SameSite=Strict, no Max-Age (the browser drops it when closed; the server enforces the 12 h / 30 min
// limits). @fastify/session keeps the sessions server-side in our store and never saves one that holds no login.
import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SessionStore } from './session-store.js';

export const sessionCookieName = '__Host-exlb-session';

const cookieOptions = { path: '/', secure: true, httpOnly: true, sameSite: 'strict' } as const;

export async function registerSessions(app: FastifyInstance, store: SessionStore): Promise<void> {
	await app.register(fastifyCookie);
	await app.register(fastifySession, {
		cookieName: sessionCookieName,
		// Signs the cookie; sessions live in this process's memory anyway, so a new secret per start loses nothing.
		secret: randomBytes(32).toString('base64url'),
		// 256-bit ids (ASVS 3.2.2 asks for 64 at least).
		idGenerator: () => randomBytes(32).toString('base64url'),
		cookie: cookieOptions,
		saveUninitialized: false,
		rolling: false,
		store,
	});
}

export function clearSessionCookie(reply: FastifyReply): void {
	void reply.clearCookie(sessionCookieName, cookieOptions);
}
