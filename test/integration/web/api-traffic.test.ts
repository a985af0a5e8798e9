// The REST API in front of the real daemons: the web server process, the engine's handlers behind its unix socket
// (in this process, so its daemons run in the balancer's network namespace) and the image's stunnel and haproxy.
// PATCH casServers and http.mode through the API → HTTPS from a client namespace served through the appliance; a
// server-wide drain through the API under load: no new session to the drained CAS, its open sessions finish, and
// the drain survives a reload (another PATCH); ready brings it back.
import test from 'ava';
import { waitFor } from '../../../services/apply/wait.js';
import type { HaproxyStatus } from '../../../services/haproxy/status.js';
import { loggedInAdmin, patchConfig, type ApiClient } from '../../helpers/api-client.js';
import { backendsOf, httpRequest, mailSession } from '../harness/clients.js';
import { holdTcpSession, type HeldSession } from '../harness/held-session.js';
import { startLoad } from '../harness/load.js';
import { SITE_NAME, startSite, type Site } from '../harness/site.js';
import { startWebUnderTest, type WebUnderTest } from './web-under-test.js';
import { startSiteEngine } from './site-engine.js';

const CAS = ['cas1', 'cas2'] as const;
let site: Site;
let web: WebUnderTest;
let admin: ApiClient;

test.before(async () => {
	site = await startSite({ cas: [...CAS] });
	web = await startWebUnderTest(await startSiteEngine(site));
	admin = await loggedInAdmin(web);
});

test.after.always(async () => {
	await admin?.close();
	await web?.stop();
	await site?.stop();
});

const https = (pathname: string) => `https://${site.lb}${pathname}`;

const patch = (body: unknown) => patchConfig(admin, body);

async function haproxy(): Promise<Extract<HaproxyStatus, { running: true }>> {
	const answer = await admin.request('GET', '/api/v1/status');
	if (answer.status !== 200) throw new Error(`GET /status answered ${answer.status}: ${answer.text}`);
	const status = answer.body.haproxy as HaproxyStatus;
	if (!status.running) throw new Error(`haproxy is not running: ${status.reason}`);
	return status;
}

/** The condition (UP, DOWN, DRAIN, MAINT) of one CAS in every backend, as the API shows it. */
async function conditionsOf(cas: string): Promise<string[]> {
	const address = site.lan.addr(cas);
	return [...new Set((await haproxy()).backends.flatMap((backend) => backend.servers.filter((server) => server.address === address).map((server) => server.state)))];
}

test.serial('PATCH casServers and http.mode through the API: HTTPS through stunnel and haproxy reaches both CAS', async (t) => {
	await patch({
		exchangeVersion: '2013+',
		casServers: CAS.map((cas) => site.lan.addr(cas)),
		http: { mode: 'ssl-offload', hostName: SITE_NAME },
		imap: { mode: 'clear' },
	});
	await waitFor('both CAS UP in every backend, as the API shows it', 60_000, async () => (await conditionsOf('cas1')).join() === 'UP' && (await conditionsOf('cas2')).join() === 'UP', 200);
	const seen = await backendsOf(6, () => httpRequest(site.lan, https('/owa/')));
	t.deepEqual([...new Set(seen)].sort(), [...CAS], 'no affinity with 2013+: both CAS answer');
	t.is((await admin.request('GET', '/api/v1/config/diff')).status, 200);
	t.is((await admin.request('POST', '/api/v1/config/save')).status, 200);
});

test.serial('drain CAS 1 through the API under load: no new session to it, its open IMAP sessions finish, kept across a reload, then ready', async (t) => {
	t.timeout(180_000);
	// Two IMAP clients held on cas1 (leastconn alternates between the CAS).
	const held: HeldSession[] = [];
	const others: HeldSession[] = [];
	for (let attempt = 0; held.length < 2 && attempt < 8; attempt++) {
		const session = await holdTcpSession(site.lan, site.lb, 143);
		(session.greeting.includes('cas1') ? held : others).push(session);
	}
	await Promise.all(others.map((session) => session.close()));
	t.is(held.length, 2, 'two IMAP sessions on cas1');
	const load = startLoad(site.lan, 'HTTPS, a new connection per request', https('/owa/'), { connections: 4, newConnections: true });
	try {
		const drained = await admin.request('PUT', '/api/v1/servers/cas/1/state', { json: { state: 'drain' } });
		t.is(drained.status, 200, drained.text);
		t.like(drained.body, { role: 'cas', index: 1, address: site.lan.addr('cas1'), state: 'drain', sessions: 2 });
		await waitFor('cas1 DRAIN in every backend', 20_000, async () => (await conditionsOf('cas1')).join() === 'DRAIN', 200);

		const totalsOf = async (cas: string) => new Map((await haproxy()).backends.flatMap((backend) => backend.servers.filter((server) => server.address === site.lan.addr(cas)).map((server) => [backend.backend, server.sessions.total] as const)));
		const atDrain = await totalsOf('cas1');
		const seen = await backendsOf(6, () => httpRequest(site.lan, https('/owa/')));
		t.deepEqual([...new Set(seen)], ['cas2'], 'new HTTPS requests go to cas2');
		t.is((await mailSession(site.lan, `imap://${site.lb}/`)).server, 'cas2', 'a new IMAP client lands on cas2');
		for (const [n, session] of held.entries()) await session.exchange(`a${n} NOOP`, `a${n} OK`);
		t.deepEqual(await totalsOf('cas1'), atDrain, 'no new session on cas1 in any backend');

		const cas1 = () => haproxy().then((status) => status.exchangeServers.find((server) => server.address === site.lan.addr('cas1')));
		t.like(await cas1(), { configured: 'drain', running: ['drain'], sessions: 2 });
		await held[0]!.close();
		await held[1]!.close();
		await waitFor('cas1\'s sessions counted down to 0', 20_000, async () => (await cas1())?.sessions === 0, 200);

		// A reload (another PATCH) keeps the drain: the server-state file and the state kept in the configuration.
		await patch({ http: { timeout: 30 } });
		t.is((await admin.request('GET', '/api/v1/config')).body.serverStates[site.lan.addr('cas1')], 'drain');
		await waitFor('cas1 still DRAIN after the reload', 20_000, async () => (await conditionsOf('cas1')).join() === 'DRAIN', 200);
		t.deepEqual([...new Set(await backendsOf(4, () => httpRequest(site.lan, https('/owa/'))))], ['cas2'], 'still nothing new on cas1');

		const ready = await admin.request('PUT', '/api/v1/servers/cas/1/state', { json: { state: 'ready' } });
		t.is(ready.status, 200, ready.text);
		await waitFor('cas1 UP again in every backend', 30_000, async () => (await conditionsOf('cas1')).join() === 'UP', 200);
		await waitFor('a request served by cas1 again', 20_000, async () => (await httpRequest(site.lan, https('/owa/'))).backend === 'cas1', 100);
	} finally {
		await Promise.all(held.map((session) => session.close()));
		const result = await load.stop();
		t.log(`${result.label}: ${result.requests} requests, ${result.failures} failures`);
		t.is(result.failures, 0, result.output);
	}
});
