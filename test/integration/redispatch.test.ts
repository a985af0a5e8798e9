// A CAS that refuses connections while its health check still says UP: the requests sent to it right then are
// retried and redispatched to the other CAS (option redispatch, retries 3), none answered 503 — OWA clients
// held on the refusing CAS by their cookie as well as Autodiscover requests without persistence.
import test from 'ava';
import { startSite, type Site } from './harness/site.js';
import { siteConfig } from './harness/engine.js';
import { allServersHealthy, serverStatus, showStat } from './harness/haproxy-stats.js';
import { waitFor } from '../../services/apply/wait.js';

const CAS = ['cas1', 'cas2'] as const;
const REQUESTS = 50;
let site: Site;

test.before(async () => {
	site = await startSite({ cas: [...CAS] });
	await site.engine.apply(siteConfig(site.lan, CAS, [], (c) => { c.rpc.mode = 'disabled'; }));
	// At full health in every backend: a just-started server goes DOWN at its first failed check, and the mark-down cuts
	// the requests still connecting to it (shutdown-sessions) before redispatch can send them on.
	const backends = (await showStat(site.engine.statsSocket)).filter((r) => r.server === 'cas1').map((r) => r.proxy);
	await waitFor('both CAS up at full health in every backend', 30_000, () => allServersHealthy(site.engine.statsSocket, backends, CAS), 100);
});

test.after.always(async () => {
	await site?.stop();
});

/** Redispatches counted on the two backends' BACKEND rows. */
async function redispatches(): Promise<number> {
	return (await showStat(site.engine.statsSocket)).filter((r) => r.server === 'BACKEND' && ['be_owa', 'be_autodiscover'].includes(r.proxy)).reduce((sum, r) => sum + r.redispatches, 0);
}

test(`${REQUESTS} requests sent as a CAS starts refusing connections all succeed on the other CAS, none 503`, async (t) => {
	const before = await redispatches();
	const cas1 = site.cas['cas1']!;
	await cas1.nginx.stop();
	const statusAtStart = await serverStatus(site.engine.statsSocket, 'be_owa', 'cas1');
	t.is(statusAtStart, 'UP', 'cas1 still UP at full health for haproxy when the requests start');
	try {
		// One curl, all requests in parallel: they reach haproxy before anything marks cas1 down.
		const args = ['--parallel', '--parallel-immediate', '--parallel-max', String(REQUESTS)];
		for (let i = 0; i < REQUESTS; i++) {
			// Even: an OWA browser held on cas1 by its cookie; odd: Autodiscover, no persistence.
			const owa = i % 2 === 0;
			if (i > 0) args.push('--next');
			args.push('-sk', '--max-time', '20', '-o', '/dev/null', '-w', '%{http_code} %header{x-backend}%{errormsg}\\n');
			args.push(...(owa ? ['-H', 'Cookie: EXLBCAS=cas1'] : []), `https://${site.lb}${owa ? '/owa/' : '/autodiscover/autodiscover.xml'}`);
		}
		// Not rejected on curl's exit status: a failed request shows as "000" in the answers below.
		const { stdout } = await site.lan.run('client', 'curl', args, { timeoutMs: 60_000, reject: false });
		const answers = stdout.trim().split('\n');
		t.is(answers.length, REQUESTS, stdout);
		const counts = answers.reduce<Record<string, number>>((all, answer) => ({ ...all, [answer]: (all[answer] ?? 0) + 1 }), {});
		t.deepEqual(counts, { '200 cas2': REQUESTS }, 'every request answered 200 by cas2');
		const redispatched = (await redispatches()) - before;
		t.true(redispatched > 0, 'some requests first went to cas1 and were redispatched');
		t.log(`${redispatched} requests redispatched from cas1 to cas2; cas1 now ${await serverStatus(site.engine.statsSocket, 'be_owa', 'cas1')}`);
	} finally {
		cas1.nginx = await cas1.startNginx();
	}
});
