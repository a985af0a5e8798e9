// Failed logins against the real web server process: after a few, the account and the address wait (429 with
// Retry-After) before the next try is even checked; other addresses and other accounts are not held up by an
// address that guesses. Clients connect from distinct loopback addresses (127.0.0.x) to be distinct sources.
import test from 'ava';
import { adminPassword, webForThisFile } from './web-for-this-file.js';
import type { WebUnderTest } from './web-under-test.js';

const files = webForThisFile({ withAdmin: true });

/** Fails logins until one is answered 429 (the delays grow, so one soon comes while the previous is in force). */
async function failUntilLimited(client: ReturnType<WebUnderTest['client']>, username: string) {
	for (let attempt = 1; attempt <= 12; attempt++) {
		const response = await client.request('POST', '/api/v1/session', { json: { username, password: `wrong ${attempt}` } });
		if (response.status === 429) return { response, attempt };
		if (response.status !== 401) throw new Error(`unexpected ${response.status}: ${response.text}`);
	}
	throw new Error('no 429 after 12 failed logins');
}

test.serial('repeated failures from one address are answered 429 with Retry-After; another address still logs in', async (t) => {
	const guesser = files.web.client('127.0.0.2');
	const { response, attempt } = await failUntilLimited(guesser, 'nobody');
	t.true(attempt > 3, 'a few typos cost nothing');
	t.is(response.body.error.kind, 'too-many');
	t.regex(response.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
	const refusedEvenIfRight = await guesser.login('admin', adminPassword);
	t.is(refusedEvenIfRight.status, 429, 'the address waits, whatever it sends');

	const elsewhere = files.web.client('127.0.0.3');
	t.is((await elsewhere.login('admin', adminPassword)).status, 200);
});

test.serial('repeated failures on one account from many addresses make that account wait, not others', async (t) => {
	let limited = false;
	for (let host = 10; host < 30 && !limited; host++) {
		const response = await files.web.client(`127.0.0.${host}`).request('POST', '/api/v1/session', { json: { username: 'operator', password: 'guess' } });
		limited = response.status === 429;
		if (!limited) t.is(response.status, 401);
	}
	t.true(limited, 'the account "operator" is held up');
	t.is((await files.web.client('127.0.0.40').login('admin', adminPassword)).status, 200, 'admin is not');
});
