// The administrative state survives what restarts haproxy: a reload for another config change keeps CAS 1 drained in
// the new worker from its first connection, while the drain still counts the session the old worker finishes; a
// config that sets it back to ready wins over the drain the old worker had; a simulated reboot (every daemon stopped,
// the state file gone with the tmpfs, the saved configuration applied) starts haproxy with the saved states in force
// before it serves a single connection; a stale state file left by an earlier haproxy never overrides the model.
import test from 'ava';
import { rm, writeFile } from 'node:fs/promises';
import { startSite, type Site } from '../harness/site.js';
import { siteConfig } from '../harness/engine.js';
import { startLoad, type RunningLoad } from '../harness/load.js';
import { startConnectLoop } from '../harness/connect-loop.js';
import { holdTcpSession, type HeldSession } from '../harness/held-session.js';
import { changeServerState, drainDeps, serverCounters, forcedStates, ofServer } from '../harness/runtime.js';
import { loadRunningConfig, loadSavedConfig } from '../../../services/config/store.js';
import { waitFor } from '../../../services/apply/wait.js';
import { masterCli } from '../../../services/haproxy/runtime-socket.js';
import { readServersState } from '../../../services/haproxy/queries.js';
import type { Config } from '../../../services/config/schema.js';

let site: Site;
const CAS = ['cas1', 'cas2'] as const;

test.before(async () => {
	site = await startSite({ cas: [...CAS] });
	await site.engine.apply(siteConfig(site.lan, CAS, [], (c) => { c.exchangeVersion = '2013+'; c.imap.mode = 'clear'; }));
	await waitFor('cas1 and cas2 UP', 60_000, async () => [...(await serverCounters(site.engine)).values()].every((s) => s.status === 'UP'), 200);
});

test.after.always(async () => {
	await site?.stop();
});

const statesOf = async (server: string) => [...new Set(ofServer(await forcedStates(site.engine), server).map(([, state]) => state))];
const running = () => loadRunningConfig(site.engine.paths);
/** A change through the appliance path (locked, applied, saved); the result says what was reloaded. */
const change = (edit: (config: Config) => Config) => drainDeps(site.engine).commit(edit);

/** New HTTPS connections for the whole step, then: no session may have reached cas1 in any backend of this worker. */
async function withLoad<T>(step: () => Promise<T>): Promise<{ value: T; cas1: number; cas2: number }> {
	const load: RunningLoad = startLoad(site.lan, 'new HTTPS connections', `https://${site.lb}/owa/`, { connections: 2, newConnections: true, timeoutSeconds: 2 });
	let value: T;
	try {
		value = await step();
		await waitFor('100 sessions through the new haproxy', 30_000, async () => ((await serverCounters(site.engine)).get('be_owa/cas2')?.total ?? 0) > 100, 100);
	} finally {
		await load.stop();
	}
	const counters = await serverCounters(site.engine);
	const total = (server: string) => ofServer(counters, server).reduce((sum, [, c]) => sum + c.total, 0);
	return { value, cas1: total('cas1'), cas2: total('cas2') };
}

test.serial('a reload for another change keeps the drain; a config setting ready wins over the old worker\'s drain', async (t) => {
	t.timeout(180_000);
	let imap = await holdTcpSession(site.lan, site.lb, 143);
	const others: HeldSession[] = [];
	while (!imap.greeting.includes('cas1')) {
		others.push(imap);
		imap = await holdTcpSession(site.lan, site.lb, 143);
	}
	await Promise.all(others.map((other) => other.close()));
	t.like(await changeServerState(site.engine, { role: 'cas', index: 1, state: 'drain' }), { state: 'drain', sessions: 1 });
	const master = masterCli(site.engine.env.haproxyMasterSocket);
	const before = (await readServersState(master, 'current')).rows.length;

	const current = await running();
	const reload = await withLoad(() => site.engine.apply({ ...current, http: { ...current.http, timeout: 31 } }));
	t.true(reload.value.reloaded.includes('haproxy'), 'haproxy was reloaded');
	t.deepEqual(await statesOf('cas1'), ['drain'], 'still drained in every backend of the new worker');
	t.is((await readServersState(master, 'current')).rows.length, before);
	t.is(reload.cas1, 0, 'the new worker gave cas1 no session, from its first one');
	t.true(reload.cas2 > 100);
	// The IMAP session stays with the old worker, which the drain still counts.
	const counted = await changeServerState(site.engine, { role: 'cas', index: 1, state: 'drain' });
	t.like(counted, { outcome: 'draining', sessions: 1 });
	t.is(counted.workers.length, 2, 'the current worker and the old one finishing the IMAP session');
	await imap.exchange('a1 NOOP', 'a1 OK');
	await imap.close();
	t.like(await changeServerState(site.engine, { role: 'cas', index: 1, state: 'drain', maintAfterSeconds: 30 }), { outcome: 'drained', sessions: 0 });

	// The drain the running haproxy has must not come back through its state file when the config says ready.
	const ready = await change((config) => ({ ...config, serverStates: {}, http: { ...config.http, timeout: 32 } }));
	t.deepEqual(ready.serverStates, {});
	t.deepEqual(await statesOf('cas1'), ['ready']);
	t.true(ofServer(await serverCounters(site.engine), 'cas1').every(([, c]) => c.status === 'UP'));
});

/**
 * Stops every daemon, then applies `config` while IMAP clients keep connecting (refused until haproxy listens), until
 * cas2 has greeted 100 of them: what the first connections of the new haproxy met.
 */
async function restartUnderConnections(config: Config) {
	await site.engine.stop();
	const loop = startConnectLoop(site.lan, site.lb, 143);
	let result;
	try {
		result = await site.engine.apply(config);
		await waitFor('100 IMAP greetings through the new haproxy', 30_000, async () => ((await serverCounters(site.engine)).get('be_imap/cas2')?.total ?? 0) >= 100, 100);
	} catch (error) {
		await loop.stop();
		throw error;
	}
	const counts = await loop.stop();
	const counters = await serverCounters(site.engine);
	return { result, counts, cas1: ofServer(counters, 'cas1').reduce((sum, [, c]) => sum + c.total, 0) };
}

test.serial('a simulated reboot starts haproxy with the saved states in force before its first connection', async (t) => {
	t.timeout(180_000);
	await changeServerState(site.engine, { role: 'cas', index: 1, state: 'maint' });
	t.deepEqual((await loadSavedConfig(site.engine.paths))?.serverStates, { [site.lan.addr('cas1')]: 'maint' });
	// Reboot: /run is a fresh tmpfs (no state file), the boot applies the saved configuration.
	await rm(site.engine.env.haproxyStateFile, { force: true });
	const boot = await restartUnderConnections((await loadSavedConfig(site.engine.paths))!);
	t.true(boot.result.started.includes('haproxy'));
	t.true(boot.counts.refused > 0, 'clients were already connecting while haproxy started');
	t.deepEqual(Object.keys(boot.counts.greetings), ['cas2'], JSON.stringify(boot.counts));
	t.is(boot.counts.dropped, 0);
	t.is(boot.cas1, 0, 'no session reached cas1 in any backend');
	t.deepEqual(await statesOf('cas1'), ['maint']);
	t.true(ofServer(await serverCounters(site.engine), 'cas1').every(([, c]) => c.status === 'MAINT'));
});

test.serial('a stale state file (an earlier haproxy\'s maint of cas2) does not override a model saying ready', async (t) => {
	t.timeout(180_000);
	const config = await running();
	t.deepEqual(config.serverStates, { [site.lan.addr('cas1')]: 'maint' });
	// What a haproxy that had cas2 (running, healthy) in maint left behind; the model has only cas1 in maint. Had haproxy
	// loaded that maint, no server would be left for the first clients: their connections would close unanswered.
	const backends = (await serverCounters(site.engine)).keys();
	const lines = [...backends].filter((key) => key.endsWith('/cas2')).map((key, i) => {
		const backend = key.split('/')[0];
		const port = backend === 'be_imap' ? 143 : 80;
		return `${i + 4} ${backend} 2 cas2 ${site.lan.addr('cas2')} 2 1 1 1 10 15 3 4 6 0 0 1 - ${port} - 0 0 - - 0`;
	});
	await site.engine.stop();
	await writeFile(site.engine.env.haproxyStateFile, `1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n${lines.join('\n')}\n`);
	const restart = await restartUnderConnections(config);
	t.deepEqual(Object.keys(restart.counts.greetings), ['cas2'], JSON.stringify(restart.counts));
	t.is(restart.counts.dropped, 0, 'cas2 served from the first connection');
	t.deepEqual(await statesOf('cas2'), ['ready']);
	t.deepEqual(await statesOf('cas1'), ['maint']);

	t.like(await changeServerState(site.engine, { role: 'cas', index: 1, state: 'ready' }), { outcome: 'up' });
});
