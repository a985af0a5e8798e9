// HTTP services in ssl-offload mode (client → stunnel → haproxy → nginx CAS), Exchange 2010 persistence and 2013+,
// health checks and the RPC group, with real daemons in network namespaces and curl/socat as clients.
import test from 'ava';
import path from 'node:path';
import { startSite, type Site } from './harness/site.js';
import { siteConfig, SITE_NAME } from './harness/engine.js';
import { httpRequest, backendsOf, tcpBanner } from './harness/clients.js';
import { backendSessions, serverStatus } from './harness/haproxy-stats.js';
import { waitFor } from '../../services/apply/wait.js';

let site: Site;
const CAS = ['cas1', 'cas2'] as const;

test.before(async () => {
	site = await startSite({ cas: [...CAS], clientSources: 4 });
	await site.engine.apply(siteConfig(site.lan, CAS, []));
	await waitFor('every CAS up in every backend', 30_000, async () => {
		for (const backend of ['be_owa', 'be_ecp', 'be_oab', 'be_autodiscover', 'be_ews', 'be_activesync', 'be_outlookanywhere', 'be_rpc_epm', 'be_rpc_ca', 'be_rpc_ab']) {
			for (const cas of CAS) if (!(await serverStatus(site.engine.statsSocket, backend, cas))?.startsWith('UP')) return false;
		}
		return true;
	}, 100);
});

test.after.always(async () => {
	await site?.stop();
});

const https = (p: string) => `https://${site.lb}${p}`;
const distinct = (xs: readonly string[]) => [...new Set(xs)].sort();

test.serial('each Exchange path is routed to its own backend', async (t) => {
	const routes: [string, string][] = [
		['/owa/', 'be_owa'], ['/owa/auth/logon.aspx', 'be_owa'], ['/ecp/', 'be_ecp'], ['/oab/oab.xml', 'be_oab'],
		['/autodiscover/autodiscover.xml', 'be_autodiscover'], ['/ews/exchange.asmx', 'be_ews'],
		['/Microsoft-Server-ActiveSync', 'be_activesync'], ['/rpc/rpcproxy.dll', 'be_outlookanywhere'],
	];
	for (const [p, backend] of routes) {
		const before = await backendSessions(site.engine.statsSocket);
		const reply = await httpRequest(site.lan, https(p));
		const after = await backendSessions(site.engine.statsSocket);
		t.is(reply.status, 200, `${p}: ${reply.body}`);
		t.true(CAS.includes(reply.backend as never), `${p} answered by ${reply.backend}`);
		t.true(reply.body.includes(p), `${p}: the CAS saw the path unchanged (${reply.body.trim()})`);
		t.is(after.get(backend)! - before.get(backend)!, 1, `${p} went through ${backend}`);
		const others = [...after].filter(([name, n]) => name !== backend && name.startsWith('be_') && n !== before.get(name));
		t.deepEqual(others, [], `${p} touched no other backend`);
	}
	const mapi = await httpRequest(site.lan, https('/mapi/emsmdb'));
	t.is(mapi.status, 503, 'Exchange 2010 publishes no /mapi: no backend serves it');
});

test.serial('HTTP redirects to HTTPS on the site name, and / goes to /owa', async (t) => {
	const plain = await httpRequest(site.lan, `http://${site.lb}/owa/`);
	t.is(plain.status, 301);
	t.is(plain.headers['location'], `https://${SITE_NAME}/owa/`);
	const root = await httpRequest(site.lan, https('/'));
	t.true([301, 302].includes(root.status), `/ answered ${root.status}`);
	t.regex(root.headers['location'] ?? '', /\/owa\/?$/);
});

test.serial('the CAS sees the client address through stunnel (PROXY protocol → X-Forwarded-For)', async (t) => {
	for (const from of [site.lan.addr('client'), ...site.clientSources.slice(0, 2)]) {
		const reply = await httpRequest(site.lan, https('/ews/exchange.asmx'), { from });
		t.is(reply.headers['x-seen-xff'], from);
		t.is(reply.headers['x-seen-peer'], site.lb, 'the TCP peer of the CAS is the balancer');
	}
});

test.serial('OWA and ECP: inserted cookie keeps a browser on one CAS; without it requests spread', async (t) => {
	const jar = path.join(site.dir, 'owa-cookies.txt');
	const first = await httpRequest(site.lan, https('/owa/'), { cookieJar: jar });
	t.regex(first.headers['set-cookie'] ?? '', /^EXLBCAS=cas[12];/);
	const withCookie = await backendsOf(8, (i) => httpRequest(site.lan, https(i % 2 ? '/owa/' : '/ecp/'), { cookieJar: jar }));
	t.deepEqual(distinct(withCookie), [first.backend!], 'OWA and ECP follow the cookie');
	const without = await backendsOf(6, () => httpRequest(site.lan, https('/owa/')));
	t.deepEqual(distinct(without), [...CAS], 'fresh browsers are balanced');
});

test.serial('ActiveSync sticks on the Authorization header', async (t) => {
	const perUser = new Map<string, string[]>();
	for (let round = 0; round < 3; round++) {
		for (let user = 1; user <= 6; user++) {
			const auth = `Basic ${Buffer.from(`EXLB\\phone${user}:x`).toString('base64')}`;
			const reply = await httpRequest(site.lan, https('/Microsoft-Server-ActiveSync?Cmd=Sync'), { method: 'POST', headers: { Authorization: auth } });
			t.is(reply.status, 200);
			perUser.set(auth, [...(perUser.get(auth) ?? []), reply.backend!]);
		}
	}
	for (const [auth, seen] of perUser) t.is(distinct(seen).length, 1, `${auth} stayed on one CAS: ${seen.join(',')}`);
	t.deepEqual(distinct([...perUser.values()].map((s) => s[0]!)), [...CAS], 'different users are spread');
});

test.serial('EWS and Outlook Anywhere stick on the source address', async (t) => {
	for (const p of ['/ews/exchange.asmx', '/rpc/rpcproxy.dll']) {
		const firsts: string[] = [];
		for (const from of site.clientSources) {
			const seen = await backendsOf(4, () => httpRequest(site.lan, https(p), { from }));
			t.is(distinct(seen).length, 1, `${p} from ${from} stayed on one CAS: ${seen.join(',')}`);
			firsts.push(seen[0]!);
		}
		t.deepEqual(distinct(firsts), [...CAS], `${p}: different sources are spread`);
	}
});

test.serial('Autodiscover and OAB have no persistence: one client is spread over the CAS servers', async (t) => {
	for (const p of ['/autodiscover/autodiscover.xml', '/oab/oab.xml']) {
		const seen = await backendsOf(6, () => httpRequest(site.lan, https(p)));
		t.deepEqual(distinct(seen), [...CAS], `${p}: ${seen.join(',')}`);
	}
});

test.serial('RPC ports stick on the source address, the three ports of one client on one CAS', async (t) => {
	const firsts: string[] = [];
	for (const from of site.clientSources) {
		const seen: string[] = [];
		for (const port of [135, 60000, 60001, 135, 60000, 60001]) {
			const banner = await tcpBanner(site.lan, site.lb, port, from);
			t.regex(banner, new RegExp(`^cas[12] ${port}$`));
			seen.push(banner.split(' ')[0]!);
		}
		t.is(distinct(seen).length, 1, `RPC from ${from}: ${seen.join(',')}`);
		firsts.push(seen[0]!);
	}
	t.deepEqual(distinct(firsts), [...CAS], 'different sources are spread');
});

test.serial('RPC group: a CAS whose address-book port fails is out of all three RPC backends', async (t) => {
	const stats = site.engine.statsSocket;
	const cas1 = site.cas['cas1']!;
	await cas1.rpc.get(60001)!.stop();
	try {
		const rpcBackends = ['be_rpc_epm', 'be_rpc_ca', 'be_rpc_ab'];
		await waitFor('cas1 down in the three RPC backends', 40_000, async () => {
			for (const be of rpcBackends) if (!(await serverStatus(stats, be, 'cas1'))?.startsWith('DOWN')) return false;
			return true;
		}, 100);
		for (const be of rpcBackends) {
			const status = await serverStatus(stats, be, 'cas1');
			t.true(status?.startsWith('DOWN'), `cas1 in ${be} is ${status ?? 'missing'}, not DOWN`);
		}
		t.true((await serverStatus(stats, 'be_owa', 'cas1'))?.startsWith('UP'), 'its HTTP services stay up');
		for (const from of site.clientSources) {
			t.is(await tcpBanner(site.lan, site.lb, 135, from), 'cas2 135', `endpoint mapper from ${from} moved to cas2`);
			t.is(await tcpBanner(site.lan, site.lb, 60000, from), 'cas2 60000', `client access from ${from} moved to cas2`);
		}
	} finally {
		cas1.rpc.set(60001, await cas1.startRpc(60001));
	}
	await waitFor('cas1 back in the RPC group', 40_000, async () => (await serverStatus(stats, 'be_rpc_ab', 'cas1'))?.startsWith('UP'), 100);
});

test.serial('a stopped CAS is taken out by its health check and its traffic moves to the other', async (t) => {
	const stats = site.engine.statsSocket;
	const cas1 = site.cas['cas1']!;
	const jar = path.join(site.dir, 'failover-cookies.txt');
	// A browser held on cas1 by its cookie.
	const pinned = await waitFor('a browser cookie for cas1', 15_000, async () => {
		const reply = await httpRequest(site.lan, https('/owa/'), { cookieJar: `${jar}.${Date.now()}` });
		return reply.backend === 'cas1' ? reply : undefined;
	}, 100);
	t.regex(pinned.headers['set-cookie'] ?? '', /EXLBCAS=cas1/);
	await cas1.nginx.stop();
	try {
		await waitFor('cas1 DOWN in be_owa and be_ews', 40_000, async () =>
			(await serverStatus(stats, 'be_owa', 'cas1'))?.startsWith('DOWN') && (await serverStatus(stats, 'be_ews', 'cas1'))?.startsWith('DOWN'), 100);
		const seen = await backendsOf(6, (i) => httpRequest(site.lan, https(i % 2 ? '/owa/' : '/ews/exchange.asmx'), { from: site.clientSources[i % site.clientSources.length]! }));
		t.deepEqual(distinct(seen), ['cas2'], 'every request went to cas2');
		const cookieClient = await httpRequest(site.lan, https('/owa/'), { headers: { Cookie: 'EXLBCAS=cas1' } });
		t.is(cookieClient.backend, 'cas2', 'a browser holding the cas1 cookie is moved');
		t.is(cookieClient.status, 200);
	} finally {
		cas1.nginx = await cas1.startNginx();
	}
	await waitFor('cas1 UP again in be_owa', 40_000, async () => (await serverStatus(stats, 'be_owa', 'cas1'))?.startsWith('UP'), 100);
});

test.serial('Exchange 2013+: /mapi routed, no affinity, each protocol checked on its own healthcheck.htm', async (t) => {
	const stats = site.engine.statsSocket;
	await site.engine.apply(siteConfig(site.lan, CAS, [], (c) => { c.exchangeVersion = '2013+'; c.rpc.mode = 'disabled'; }));
	await waitFor('both CAS up in be_owa and be_mapi', 30_000, async () => {
		for (const be of ['be_owa', 'be_mapi', 'be_ews']) for (const cas of CAS) if (!(await serverStatus(stats, be, cas))?.startsWith('UP')) return false;
		return true;
	}, 100);
	const mapi = await httpRequest(site.lan, https('/mapi/emsmdb/'));
	t.is(mapi.status, 200, 'MAPI over HTTP is published');
	const jar = path.join(site.dir, 'owa-2013-cookies.txt');
	const owa = await backendsOf(6, () => httpRequest(site.lan, https('/owa/'), { cookieJar: jar }));
	t.deepEqual(distinct(owa), [...CAS], 'no cookie affinity with 2013+');
	const cas1 = site.cas['cas1']!;
	await cas1.setSick('owa', true);
	try {
		await waitFor('cas1 DOWN in be_owa only', 40_000, async () => (await serverStatus(stats, 'be_owa', 'cas1'))?.startsWith('DOWN'), 100);
		t.true((await serverStatus(stats, 'be_ews', 'cas1'))?.startsWith('UP'), 'EWS on cas1 stays in service');
		t.true((await serverStatus(stats, 'be_mapi', 'cas1'))?.startsWith('UP'), 'MAPI on cas1 stays in service');
		t.deepEqual(distinct(await backendsOf(4, () => httpRequest(site.lan, https('/owa/')))), ['cas2'], 'OWA served by cas2 only');
	} finally {
		await cas1.setSick('owa', false);
	}
	await waitFor('cas1 back in be_owa', 40_000, async () => (await serverStatus(stats, 'be_owa', 'cas1'))?.startsWith('UP'), 100);
});
