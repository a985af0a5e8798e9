// An Exchange patch cycle on CAS 1 of a 2010 site (HTTP, IMAP, RPC): drain with a timeout while an IMAP client stays
// connected → maint when the time is up, closing that session → ready, then UP in every backend and taking new
// sessions again. HUB 2 (SMTP) goes the same way.
import test from 'ava';
import { startSite, type Site } from '../harness/site.js';
import { siteConfig } from '../harness/engine.js';
import { holdTcpSession } from '../harness/held-session.js';
import { mailSession } from '../harness/clients.js';
import { changeServerState, serverCounters, forcedStates, ofServer } from '../harness/runtime.js';
import { loadRunningConfig, loadSavedConfig } from '../../../services/config/store.js';
import { waitFor } from '../../../services/apply/wait.js';

let site: Site;
const CAS = ['cas1', 'cas2'] as const;

test.before(async () => {
	site = await startSite({ cas: [...CAS], hubs: ['hub1', 'hub2'] });
	await site.engine.apply(siteConfig(site.lan, CAS, ['hub1', 'hub2'], (c) => { c.imap.mode = 'clear'; c.smtp.mode = 'clear'; }));
	await waitFor('every server UP in every backend', 60_000, async () => {
		const servers = [...(await serverCounters(site.engine)).values()];
		return servers.length === 2 * 11 + 2 && servers.every((s) => s.status === 'UP');
	}, 200);
});

test.after.always(async () => {
	await site?.stop();
});

const states = async (server: string) => [...new Set(ofServer(await forcedStates(site.engine), server).map(([, state]) => state))];

test.serial('drain with a timeout → maint closing the session still open → ready, then UP everywhere', async (t) => {
	t.timeout(180_000);
	const cas1 = site.lan.addr('cas1');
	let session = await holdTcpSession(site.lan, site.lb, 143);
	const others = [];
	while (!session.greeting.includes('cas1')) {
		others.push(session);
		session = await holdTcpSession(site.lan, site.lb, 143);
	}
	await Promise.all(others.map((other) => other.close()));

	const timedOut = await changeServerState(site.engine, { role: 'cas', index: 1, state: 'drain', maintAfterSeconds: 2 });
	t.like(timedOut, { address: cas1, outcome: 'maint', state: 'maint', sessions: 0, sessionsClosed: 1 });
	t.is(timedOut.backends.length, 11, '7 HTTP services of 2010, IMAP and the 3 RPC ports');
	t.deepEqual(await states('cas1'), ['maint']);
	t.true(ofServer(await serverCounters(site.engine), 'cas1').every(([, s]) => s.status.startsWith('MAINT')));
	t.deepEqual((await loadRunningConfig(site.engine.paths)).serverStates, { [cas1]: 'maint' }, 'recorded in the running configuration');
	t.deepEqual((await loadSavedConfig(site.engine.paths))?.serverStates, { [cas1]: 'maint' }, 'and saved');
	await waitFor('the balancer closing the IMAP session still open at the timeout', 10_000, () => !session.open, 50);
	t.like(await changeServerState(site.engine, { role: 'cas', index: 1, state: 'maint' }), { outcome: 'maint', sessionsClosed: 0, sessions: 0 }, 'again: nothing to do');

	const back = await changeServerState(site.engine, { role: 'cas', index: 1, state: 'ready', upTimeoutSeconds: 60 });
	t.like(back, { outcome: 'up', state: 'ready' });
	t.true(back.backends.every((b) => b.up && b.admin === 'ready'), JSON.stringify(back.backends));
	t.deepEqual(await states('cas1'), ['ready']);
	t.deepEqual((await loadSavedConfig(site.engine.paths))?.serverStates, {});
	const servers = new Set<string | undefined>();
	for (let i = 0; i < 6; i++) servers.add((await mailSession(site.lan, `imap://${site.lb}/`)).server);
	t.deepEqual([...servers].sort(), ['cas1', 'cas2'], 'new clients reach cas1 again');
});

test.serial('HUB 2 drained and back: SMTP goes to hub1 meanwhile', async (t) => {
	const drained = await changeServerState(site.engine, { role: 'hub', index: 2, state: 'drain' });
	t.like(drained, { address: site.lan.addr('hub2'), outcome: 'drained', state: 'drain' });
	t.deepEqual(drained.backends.map((b) => `${b.backend}/${b.server}`), ['be_smtp/hub2']);
	for (let i = 0; i < 3; i++) t.is((await mailSession(site.lan, `smtp://${site.lb}/`)).server, 'hub1');
	t.like(await changeServerState(site.engine, { role: 'hub', index: 2, state: 'ready' }), { outcome: 'up' });
});

test.serial('a server that does not exist is refused before anything changes', async (t) => {
	const before = await loadRunningConfig(site.engine.paths);
	await t.throwsAsync(changeServerState(site.engine, { role: 'cas', index: 3, state: 'drain' }), { message: 'cas 3 does not exist: casServers has servers 1 to 2' });
	t.deepEqual(await loadRunningConfig(site.engine.paths), before);
});
