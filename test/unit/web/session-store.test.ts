// The web session store with an injected clock: 30 min idle and 12 h absolute expiry, a cap that drops the least
// recently used session, the per-user index behind listing and revocation, and nothing kept without a login.
import test from 'ava';
import type { Session } from 'fastify';
import { SessionStore, type SessionData } from '../../../services/web/auth/session-store.js';

const minute = 60_000;
const limits = { absoluteMs: 12 * 60 * minute, idleMs: 30 * minute, maxSessions: 3 };

function clock(start = Date.parse('2026-12-01T08:00:00Z')) {
	let now = start;
	return { now: () => now, advance: (ms: number) => { now += ms; } };
}

const login = (user: string, loginAt: number): SessionData => ({ user, csrfToken: `csrf-${user}`, passwordChangeRequired: false, loginAt, address: '192.0.2.7', userAgent: 'test' });

function set(store: SessionStore, id: string, data: Partial<SessionData>): void {
	store.set(id, data as Session, () => {});
}

function get(store: SessionStore, id: string): Partial<SessionData> | null {
	let found: Partial<SessionData> | null = null;
	store.get(id, (_error, session) => { found = (session ?? null) as Partial<SessionData> | null; });
	return found;
}

test('a session without a login is never stored', (t) => {
	const store = new SessionStore(limits);
	set(store, 'anonymous', {});
	t.is(store.size, 0);
	t.is(get(store, 'anonymous'), null);
});

test('30 minutes without a request end a session; each request starts the 30 minutes again', (t) => {
	const time = clock();
	const store = new SessionStore(limits, time.now);
	set(store, 'a', login('admin', time.now()));
	time.advance(29 * minute);
	t.is(get(store, 'a')?.user, 'admin');
	time.advance(29 * minute);
	t.is(get(store, 'a')?.user, 'admin', 'the previous request kept it alive');
	time.advance(30 * minute);
	t.is(get(store, 'a'), null);
	t.is(store.size, 0);
});

test('12 hours after the login a session ends even if it was used all along', (t) => {
	const time = clock();
	const store = new SessionStore(limits, time.now);
	set(store, 'a', login('admin', time.now()));
	for (let step = 0; step < 47; step++) {
		time.advance(15 * minute);
		t.truthy(get(store, 'a'));
	}
	time.advance(15 * minute);
	t.is(get(store, 'a'), null);
});

test('at the cap, a new session pushes out the least recently used one', (t) => {
	const time = clock();
	const store = new SessionStore(limits, time.now);
	for (const id of ['a', 'b', 'c']) {
		set(store, id, login('admin', time.now()));
		time.advance(minute);
	}
	get(store, 'a');
	set(store, 'd', login('admin', time.now()));
	t.is(store.size, 3);
	t.is(get(store, 'b'), null, 'b was the least recently used');
	t.truthy(get(store, 'a'));
	t.truthy(get(store, 'd'));
});

test('sessions are listed per user by a handle that is not the id, and revoked by it', (t) => {
	const time = clock();
	const store = new SessionStore(limits, time.now);
	set(store, 'secret-a', login('admin', time.now()));
	set(store, 'secret-b', login('admin', time.now()));
	set(store, 'secret-c', login('operator', time.now()));
	const listed = store.list('admin');
	t.is(listed.length, 2);
	t.false(JSON.stringify(listed).includes('secret-'));
	t.is(listed[0]!.expiresAt, new Date(time.now() + 30 * minute).toISOString());
	const handleOfB = store.handleOf('secret-b')!;
	t.false(store.revoke('operator', handleOfB), 'not another user\'s session');
	t.true(store.revoke('admin', handleOfB));
	t.is(get(store, 'secret-b'), null);
	t.is(store.revokeAllOf('admin', 'secret-a'), 0);
	set(store, 'secret-d', login('admin', time.now()));
	t.is(store.revokeAllOf('admin', 'secret-a'), 1);
	t.truthy(get(store, 'secret-a'));
	t.truthy(get(store, 'secret-c'));
});
