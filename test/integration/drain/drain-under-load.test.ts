// Server-wide drain of CAS 1 under load (Exchange 2013+, HTTPS through stunnel and IMAP): from the drain on no new
// session goes to cas1 in any backend, the IMAP sessions open on cas1 keep working, the remaining-session count goes
// down as they end, and the load sees no failed request.
import test from 'ava';
import { startSite, type Site } from '../harness/site.js';
import { siteConfig } from '../harness/engine.js';
import { startLoad } from '../harness/load.js';
import { holdTcpSession, type HeldSession } from '../harness/held-session.js';
import { mailSession } from '../harness/clients.js';
import { changeServerState, serverCounters, forcedStates, ofServer } from '../harness/runtime.js';
import { waitFor } from '../../../services/apply/wait.js';
import type { ServerPresence } from '../../../services/haproxy/sessions.js';

let site: Site;
const CAS = ['cas1', 'cas2'] as const;

test.before(async () => {
	site = await startSite({ cas: [...CAS] });
	await site.engine.apply(siteConfig(site.lan, CAS, [], (c) => { c.exchangeVersion = '2013+'; c.imap.mode = 'clear'; }));
	await waitFor('cas1 and cas2 UP in every backend', 60_000, async () => {
		const servers = [...(await serverCounters(site.engine)).values()];
		return servers.length === 18 && servers.every((s) => s.status === 'UP');
	}, 200);
});

test.after.always(async () => {
	await site?.stop();
});

/** IMAP sessions through the balancer until `count` of them are on cas1 (leastconn alternates); the others are closed. */
async function imapSessionsOnCas1(count: number): Promise<HeldSession[]> {
	const kept: HeldSession[] = [];
	const others: HeldSession[] = [];
	for (let attempt = 0; kept.length < count && attempt < 4 * count; attempt++) {
		const session = await holdTcpSession(site.lan, site.lb, 143);
		(session.greeting.includes('cas1') ? kept : others).push(session);
	}
	await Promise.all(others.map((session) => session.close()));
	if (kept.length < count) throw new Error(`only ${kept.length} IMAP sessions reached cas1`);
	return kept;
}

test.serial('drain CAS 1 everywhere: no new sessions to it, its open sessions finish, the count goes down to 0', async (t) => {
	t.timeout(180_000);
	const sessions = await imapSessionsOnCas1(2);
	const loads = [
		startLoad(site.lan, 'HTTPS, a new connection per request', `https://${site.lb}/owa/`, { connections: 4, newConnections: true }),
		startLoad(site.lan, 'HTTPS keep-alive', `https://${site.lb}/ews/exchange.asmx`, { connections: 2 }),
	];
	try {
		await waitFor('load reaching cas1', 20_000, async () => ((await serverCounters(site.engine)).get('be_owa/cas1')?.total ?? 0) > 50, 100);

		const report = await changeServerState(site.engine, { role: 'cas', index: 1, state: 'drain' });
		t.like(report, { role: 'cas', index: 1, address: site.lan.addr('cas1'), state: 'drain', outcome: 'draining', sessions: 2 });
		t.deepEqual(report.backends.filter((b) => b.sessions > 0).map((b) => `${b.backend}:${b.sessions}`), ['be_imap:2']);
		t.is(report.backends.length, 9, 'the 8 HTTP services of 2013+ and IMAP');
		t.true(report.backends.every((b) => b.admin === 'drain' && !b.up));
		t.deepEqual([...new Set(ofServer(await forcedStates(site.engine), 'cas1').map(([, state]) => state))], ['drain']);
		t.deepEqual([...new Set(ofServer(await forcedStates(site.engine), 'cas2').map(([, state]) => state))], ['ready']);

		const atDrain = await serverCounters(site.engine);
		await waitFor('300 more sessions on cas2 after the drain', 60_000, async () => {
			const now = await serverCounters(site.engine);
			return now.get('be_owa/cas2')!.total - atDrain.get('be_owa/cas2')!.total > 300;
		}, 200);
		const after = await serverCounters(site.engine);
		for (const [key, counters] of ofServer(atDrain, 'cas1')) t.is(after.get(key)!.total, counters.total, `no new session on ${key}`);
		for (let i = 0; i < 4; i++) t.is((await mailSession(site.lan, `imap://${site.lb}/`)).server, 'cas2', 'a new IMAP client lands on cas2');

		// The sessions opened before the drain are still served by cas1, and counted down as they end.
		for (const [n, session] of sessions.entries()) await session.exchange(`a${n} NOOP`, `a${n} OK`);
		const seen: number[] = [];
		const waiting = changeServerState(site.engine, { role: 'cas', index: 1, state: 'drain', maintAfterSeconds: 120 }, {
			onProgress: (presence: ServerPresence) => { if (seen.at(-1) !== presence.sessions) seen.push(presence.sessions); },
		});
		await waitFor('the drain watching 2 sessions', 10_000, () => seen.includes(2), 50);
		await sessions[0]!.close();
		await waitFor('1 session left', 10_000, () => seen.includes(1), 50);
		await sessions[1]!.close();
		const done = await waiting;
		t.like(done, { outcome: 'drained', state: 'drain', sessions: 0 });
		t.deepEqual(seen, [2, 1, 0]);
	} finally {
		await Promise.all(sessions.map((session) => session.close()));
		const results = await Promise.all(loads.map((load) => load.stop()));
		for (const r of results) {
			t.log(`${r.label}: ${r.requests} requests, ${r.failures} failures`);
			t.is(r.failures, 0, `${r.label}:\n${r.output}`);
		}
	}
});
