// Server-side web sessions, in memory (they end when the web server restarts, which only means logging in again):
// 12 h after login or 30 min without a request a session is gone (ASVS 3.3.2), at most maxSessions exist (the least
// recently used one goes first), and each user's sessions can be listed and revoked (ASVS 3.3.4) by a handle that
// is not the session id (the id is the secret in the cookie and never leaves it).
import { randomBytes } from 'node:crypto';
import type { Session } from 'fastify';

/** What a logged-in session holds (set at login on request.session). */
export interface SessionData {
	readonly user: string;
	readonly csrfToken: string;
	readonly passwordChangeRequired: boolean;
	/** Epoch ms of the login: the absolute expiry counts from here, across an id rotation. */
	readonly loginAt: number;
	readonly address: string;
	readonly userAgent: string;
}

declare module 'fastify' {
	interface Session extends Partial<SessionData> {}
}

interface Entry {
	readonly data: SessionData;
	readonly handle: string;
	lastSeenAt: number;
}

export interface SessionView {
	readonly id: string;
	readonly address: string;
	readonly userAgent: string;
	readonly createdAt: string;
	readonly lastSeenAt: string;
	readonly expiresAt: string;
}

export interface SessionLimits {
	readonly absoluteMs: number;
	readonly idleMs: number;
	readonly maxSessions: number;
}

export const defaultSessionLimits: SessionLimits = { absoluteMs: 12 * 3600_000, idleMs: 30 * 60_000, maxSessions: 64 };

type Callback = (error?: unknown) => void;

function dataOf(session: Partial<SessionData>): SessionData | null {
	const { user, csrfToken, passwordChangeRequired, loginAt, address, userAgent } = session;
	if (typeof user !== 'string' || typeof csrfToken !== 'string' || typeof passwordChangeRequired !== 'boolean' || typeof loginAt !== 'number') return null;
	return { user, csrfToken, passwordChangeRequired, loginAt, address: address ?? '', userAgent: userAgent ?? '' };
}

/** The store @fastify/session reads and writes, plus the per-user index behind GET/DELETE /api/v1/sessions. */
export class SessionStore {
	readonly #entries = new Map<string, Entry>();

	constructor(private readonly limits: SessionLimits = defaultSessionLimits, private readonly now: () => number = Date.now) {}

	get size(): number {
		return this.#entries.size;
	}

	set(sessionId: string, session: Session, callback: Callback): void {
		const data = dataOf(session);
		// A session without a login (an anonymous request, or the blank one a rotation creates) is never kept.
		if (data === null) {
			this.#entries.delete(sessionId);
			callback();
			return;
		}
		const existing = this.#entries.get(sessionId);
		if (existing === undefined) this.#makeRoom();
		this.#entries.set(sessionId, { data, handle: existing?.handle ?? randomBytes(12).toString('base64url'), lastSeenAt: this.now() });
		callback();
	}

	get(sessionId: string, callback: (error: unknown, session?: Session | null) => void): void {
		const entry = this.#live(sessionId);
		if (entry === undefined) {
			callback(null, null);
			return;
		}
		entry.lastSeenAt = this.now();
		callback(null, { ...entry.data } as unknown as Session);
	}

	destroy(sessionId: string, callback: Callback): void {
		this.#entries.delete(sessionId);
		callback();
	}

	/** The handle GET /api/v1/sessions shows for this session id. */
	handleOf(sessionId: string): string | undefined {
		return this.#live(sessionId)?.handle;
	}

	list(user: string): SessionView[] {
		this.#sweep();
		return [...this.#entries.values()].filter((entry) => entry.data.user === user).map((entry) => this.#view(entry));
	}

	/** Ends one of the user's sessions by its handle; false when the user has none with that handle. */
	revoke(user: string, handle: string): boolean {
		for (const [id, entry] of this.#entries) {
			if (entry.data.user === user && entry.handle === handle) {
				this.#entries.delete(id);
				return true;
			}
		}
		return false;
	}

	/** Ends every session of the user except `keepSessionId` (a password change ends the other sessions). */
	revokeAllOf(user: string, keepSessionId?: string): number {
		let count = 0;
		for (const [id, entry] of this.#entries) {
			if (entry.data.user === user && id !== keepSessionId) {
				this.#entries.delete(id);
				count++;
			}
		}
		return count;
	}

	#expiresAt(entry: Entry): number {
		return Math.min(entry.data.loginAt + this.limits.absoluteMs, entry.lastSeenAt + this.limits.idleMs);
	}

	#live(sessionId: string): Entry | undefined {
		const entry = this.#entries.get(sessionId);
		if (entry !== undefined && this.now() >= this.#expiresAt(entry)) {
			this.#entries.delete(sessionId);
			return undefined;
		}
		return entry;
	}

	#sweep(): void {
		for (const id of [...this.#entries.keys()]) this.#live(id);
	}

	#makeRoom(): void {
		if (this.#entries.size < this.limits.maxSessions) return;
		this.#sweep();
		while (this.#entries.size >= this.limits.maxSessions) {
			let oldest: [string, Entry] | undefined;
			for (const pair of this.#entries) if (oldest === undefined || pair[1].lastSeenAt < oldest[1].lastSeenAt) oldest = pair;
			this.#entries.delete(oldest![0]);
		}
	}

	#view(entry: Entry): SessionView {
		const iso = (ms: number) => new Date(ms).toISOString();
		return {
			id: entry.handle,
			address: entry.data.address,
			userAgent: entry.data.userAgent,
			createdAt: iso(entry.data.loginAt),
			lastSeenAt: iso(entry.lastSeenAt),
			expiresAt: iso(this.#expiresAt(entry)),
		};
	}
}
