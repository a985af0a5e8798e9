// Failed password checks with an injected clock: free typos, then a doubling delay up to a ceiling, per account and
// per address, 429-style refusals with the seconds to wait, never more than the hourly cap, never a lock that does
// not end by itself, and a success clearing the slate.
import test from 'ava';
import { defaultLoginLimits, LoginLimiter, loginKeys, type LoginAttempt } from '../../../services/web/auth/login-limiter.js';

function clock() {
	let now = Date.parse('2026-12-01T08:00:00Z');
	return { now: () => now, advance: (ms: number) => { now += ms; } };
}

const fail = (attempt: LoginAttempt) => {
	if (!attempt.allowed) throw new Error(`refused for ${attempt.retryAfterSeconds} s`);
	attempt.settle('failure');
};
const waitOf = (attempt: LoginAttempt) => (attempt.allowed ? 0 : attempt.retryAfterSeconds);

test('three failures are free, then the wait doubles from 1 s up to 60 s', (t) => {
	const time = clock();
	const limiter = new LoginLimiter(defaultLoginLimits, time.now);
	const keys = loginKeys('admin', '192.0.2.7');
	const waits: number[] = [];
	for (let failure = 1; failure <= 10; failure++) {
		fail(limiter.begin(keys));
		const refused = limiter.begin(keys);
		waits.push(waitOf(refused));
		if (refused.allowed) refused.settle('no-answer');
		time.advance(waitOf(refused) * 1000);
	}
	t.deepEqual(waits, [0, 0, 0, 1, 2, 4, 8, 16, 32, 60]);
});

test('the wait holds per account across addresses, and per address across accounts', (t) => {
	const time = clock();
	const limiter = new LoginLimiter(defaultLoginLimits, time.now);
	for (let index = 0; index < 4; index++) fail(limiter.begin(loginKeys('admin', `192.0.2.${index + 1}`)));
	t.is(waitOf(limiter.begin(loginKeys('admin', '198.51.100.1'))), 1, 'admin waits, from anywhere');
	const other = limiter.begin(loginKeys('operator', '198.51.100.1'));
	t.true(other.allowed, 'another account from a clean address does not');
	if (other.allowed) other.settle('success');

	for (let index = 0; index < 4; index++) fail(limiter.begin(loginKeys(`user${index}`, '203.0.113.9')));
	t.is(waitOf(limiter.begin(loginKeys('nobody', '203.0.113.9'))), 1, 'the guessing address waits, whatever the account');
});

test('an attempt counts from its start: parallel guesses cannot all get through before the first is judged', (t) => {
	const limiter = new LoginLimiter(defaultLoginLimits, clock().now);
	const keys = loginKeys('admin', '192.0.2.7');
	const inFlight = [limiter.begin(keys), limiter.begin(keys), limiter.begin(keys), limiter.begin(keys)];
	t.true(inFlight.every((attempt) => attempt.allowed));
	t.false(limiter.begin(keys).allowed);
});

test('a success clears the account and the address; an attempt the engine never answered is not held against anyone', (t) => {
	const limiter = new LoginLimiter(defaultLoginLimits, clock().now);
	const keys = loginKeys('admin', '192.0.2.7');
	fail(limiter.begin(keys));
	fail(limiter.begin(keys));
	const unanswered = limiter.begin(keys);
	if (unanswered.allowed) unanswered.settle('no-answer');
	t.is(limiter.failures(keys[0]!), 2);
	const right = limiter.begin(keys);
	if (right.allowed) right.settle('success');
	t.is(limiter.failures(keys[0]!), 0);
	t.is(limiter.failures(keys[1]!), 0);
});

test('never more than 100 failures in an hour per account, and the wait always ends', (t) => {
	const time = clock();
	const limiter = new LoginLimiter({ ...defaultLoginLimits, firstDelayMs: 0, maxDelayMs: 0 }, time.now);
	for (let failure = 1; failure <= 100; failure++) {
		fail(limiter.begin(loginKeys('admin', `10.0.${Math.floor(failure / 250)}.${failure % 250}`)));
		time.advance(1000);
	}
	const refused = limiter.begin(loginKeys('admin', '198.51.100.1'));
	t.false(refused.allowed);
	t.is(waitOf(refused), 3600 - 100, 'until the first failure leaves the hour');
	t.is(limiter.failures('user:admin'), 100);
	time.advance(waitOf(refused) * 1000);
	t.true(limiter.begin(loginKeys('admin', '198.51.100.1')).allowed);
});

test('an IPv6 client is one source for its whole /64; user names are compared without case', (t) => {
	t.deepEqual(loginKeys('Admin', '2001:db8:1:2:aaaa::1'), ['user:admin', 'address:2001:db8:1:2::/64']);
	t.deepEqual(loginKeys('admin', '2001:db8:1:2:bbbb::9')[1], 'address:2001:db8:1:2::/64');
	t.deepEqual(loginKeys('admin', '192.0.2.7')[1], 'address:192.0.2.7');
});
