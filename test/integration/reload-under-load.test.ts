// Zero failed requests while 20 different config changes are applied through the engine under continuous
// load: wrk in the client namespace over kept-alive HTTPS (stunnel → haproxy), new HTTPS connections and
// new plain HTTP connections (the redirect), counting every socket error and every non-2xx/3xx answer.
import test from 'ava';
import { startSite, type Site } from './harness/site.js';
import { siteConfig } from './harness/engine.js';
import { startLoad, type LoadResult } from './harness/load.js';
import { showStat } from './harness/haproxy-stats.js';
import { waitFor } from '../../services/apply/wait.js';
import type { Config } from '../../services/config/schema.js';

let site: Site;
const CAS = ['cas1', 'cas2', 'cas3'] as const;
const HUBS = ['hub1'] as const;

test.before(async () => {
	site = await startSite({ cas: [...CAS], hubs: [...HUBS] });
});

test.after.always(async () => {
	await site?.stop();
});

interface Change {
	readonly what: string;
	readonly edit: (c: Config) => void;
	/** What the running balancer must show once the change is in force. */
	readonly effect: (s: Site) => Promise<boolean>;
}

const backends = async (s: Site) => new Set((await showStat(s.engine.statsSocket)).map((r) => r.proxy));
const servers = async (s: Site, backend: string) => (await showStat(s.engine.statsSocket)).filter((r) => r.proxy === backend && /^cas\d$/.test(r.server)).map((r) => r.server).sort().join(',');
const has = (backend: string, present = true) => async (s: Site) => (await backends(s)).has(backend) === present;
const listens = (port: number, yes = true) => async (s: Site) => (await s.lan.isListening('lb', port)) === yes;
const owaServers = (list: string) => async (s: Site) => (await servers(s, 'be_owa')) === list;

// Cumulative: each change starts from the previous one. The load uses /owa and the redirect, which stay on.
const changes: Change[] = [
	{ what: 'add cas3', edit: (c) => { c.casServers.push(site.lan.addr('cas3')); }, effect: owaServers('cas1,cas2,cas3') },
	{ what: 'disable OAB', edit: (c) => { c.http.services.oab = false; }, effect: has('be_oab', false) },
	{ what: 'disable ECP', edit: (c) => { c.http.services.ecp = false; }, effect: has('be_ecp', false) },
	{ what: 'IMAP clear', edit: (c) => { c.imap.mode = 'clear'; }, effect: listens(143) },
	{ what: 'POP3 clear', edit: (c) => { c.pop3.mode = 'clear'; }, effect: listens(110) },
	{ what: 'remove cas3', edit: (c) => { c.casServers.pop(); }, effect: owaServers('cas1,cas2') },
	{ what: 'enable OAB', edit: (c) => { c.http.services.oab = true; }, effect: has('be_oab') },
	{ what: 'IMAP clear + ssl-offload', edit: (c) => { c.imap.mode = 'clear-and-ssl-offload'; }, effect: listens(993) },
	{ what: 'RPC disabled', edit: (c) => { c.rpc.mode = 'disabled'; }, effect: listens(135, false) },
	{ what: 'disable EWS', edit: (c) => { c.http.services.ews = false; }, effect: has('be_ews', false) },
	{ what: 'POP3 clear + ssl-offload', edit: (c) => { c.pop3.mode = 'clear-and-ssl-offload'; }, effect: listens(995) },
	{ what: 'enable ECP', edit: (c) => { c.http.services.ecp = true; }, effect: has('be_ecp') },
	{ what: 'RPC enabled', edit: (c) => { c.rpc.mode = 'enabled'; }, effect: listens(135) },
	{ what: 'SMTP clear', edit: (c) => { c.smtp.mode = 'clear'; }, effect: listens(25) },
	{ what: 'add cas3 again', edit: (c) => { c.casServers.push(site.lan.addr('cas3')); }, effect: owaServers('cas1,cas2,cas3') },
	{ what: 'disable ActiveSync', edit: (c) => { c.http.services.activesync = false; }, effect: has('be_activesync', false) },
	{ what: 'IMAP disabled', edit: (c) => { c.imap.mode = 'disabled'; }, effect: async (s) => (await listens(143, false)(s)) && listens(993, false)(s) },
	{ what: 'SMTP clear + ssl-offload', edit: (c) => { c.smtp.mode = 'clear-and-ssl-offload'; }, effect: listens(587) },
	{ what: 'enable EWS and ActiveSync', edit: (c) => { c.http.services.ews = true; c.http.services.activesync = true; }, effect: async (s) => (await has('be_ews')(s)) && has('be_activesync')(s) },
	{ what: 'POP3 disabled, HTTP timeout 40 s', edit: (c) => { c.pop3.mode = 'disabled'; c.http.timeout = 40; }, effect: listens(110, false) },
];

test.serial(`${changes.length} config changes applied under continuous load: zero failed requests, every change in force`, async (t) => {
	t.timeout(240_000);
	const inForce: string[] = [];
	const edits: ((c: Config) => void)[] = [];
	const configAt = () => siteConfig(site.lan, CAS.slice(0, 2), HUBS, (c) => { for (const e of edits) e(c); });
	await site.engine.apply(configAt());
	await waitFor('cas1 and cas2 up in be_owa', 30_000, async () => {
		const rows = (await showStat(site.engine.statsSocket)).filter((r) => r.proxy === 'be_owa' && r.server.startsWith('cas'));
		return rows.length === 2 && rows.every((r) => r.status.startsWith('UP'));
	}, 100);

	const loads = [
		startLoad(site.lan, 'HTTPS keep-alive (stunnel → haproxy)', `https://${site.lb}/owa/`, { connections: 4 }),
		startLoad(site.lan, 'HTTPS new connection per request', `https://${site.lb}/owa/auth/logon.aspx`, { connections: 2, newConnections: true }),
		startLoad(site.lan, 'HTTP redirect, new connection per request', `http://${site.lb}/owa/`, { connections: 2, newConnections: true }),
	];
	let results: LoadResult[] = [];
	let applyFailure: unknown;
	try {
		// Let every generator reach steady state before the first change.
		await waitFor('load flowing through be_owa', 20_000, async () => ((await showStat(site.engine.statsSocket)).find((r) => r.proxy === 'be_owa' && r.server === 'BACKEND')?.sessions ?? 0) > 100, 100);
		for (const [index, change] of changes.entries()) {
			edits.push(change.edit);
			const result = await site.engine.apply(configAt());
			t.log(`change ${index + 1} (${change.what}): reloaded [${result.reloaded.join(', ')}] started [${result.started.join(', ')}] stopped [${result.stopped.join(', ')}]`);
			t.true(result.reloaded.length + result.started.length + result.stopped.length > 0, `change ${index + 1} (${change.what}) restarted nothing`);
			await waitFor(`change ${index + 1} (${change.what}) in force`, 15_000, () => change.effect(site), 100);
			inForce.push(change.what);
		}
	} catch (error) {
		applyFailure = error;
	} finally {
		results = await Promise.all(loads.map((l) => l.stop()));
	}
	// The load figures are logged even when an apply failed: they tell what the failed reload did to clients.
	for (const r of results) {
		t.log(`${r.label}: ${r.requests} requests, ${r.failures} failures (connect ${r.connectErrors}, read ${r.readErrors}, write ${r.writeErrors}, timeout ${r.timeouts}, non-2xx/3xx ${r.badStatus})`);
	}
	if (applyFailure !== undefined) throw applyFailure;
	t.deepEqual(inForce, changes.map((change) => change.what), 'every change was applied and seen in force, in order');
	for (const r of results) {
		t.true(r.requests > 100, `${r.label} ran (${r.requests} requests):\n${r.output}`);
		t.is(r.failures, 0, `${r.label} failed requests:\n${r.output}`);
	}
});
