// The failover settings with the image's keepalived, two balancers (lb master, lb2 backup) on one bridge:
// unicast advertisements where the network drops VRRP multicast, no preemption, a preemption delay, and
// keepalived's own word (its notify script's state file) agreeing with the VIP. Timings are the benchmark's
// (scripts/bench-ha.ts); here only what happens, and in which order.
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { startSite, type Site } from './harness/site.js';
import { siteConfig, type EngineUnderTest } from './harness/engine.js';
import { serverStatus } from './harness/haproxy-stats.js';
import { waitFor } from '../../services/apply/wait.js';
import { judgeVrrp, parseVrrpStateFile } from '../../services/appliance/vrrp-status.js';
import { SUBNET_PREFIX } from './harness/netns.js';
import type { HaConfig } from '../../services/config/schema.js';

let site: Site;
const VIP = `${SUBNET_PREFIX}.50`;
const nodes = { lb: { role: 'master' as const, peer: 'lb2' }, lb2: { role: 'backup' as const, peer: 'lb' } };
type Node = keyof typeof nodes;

const engineOf = (host: Node): EngineUnderTest => (host === 'lb' ? site.engine : site.backupEngine!);

async function holdsVip(host: Node): Promise<boolean> {
	const { stdout } = await site.lan.run(host, 'ip', ['-4', '-o', 'addr', 'show', 'dev', 'eth0']);
	return stdout.includes(` ${VIP}/`);
}

/** What keepalived on `host` last said (its notify script's file). */
async function keepalivedSays(host: Node): Promise<string | null> {
	return parseVrrpStateFile(await readFile(engineOf(host).env.vrrpStateFile, 'utf8').catch(() => ''))?.state ?? null;
}

const applied: Partial<Record<Node, HaConfig>> = {};

/** Applies both nodes' configurations with `ha` settings (the unicast peer: the other node, when asked). */
async function configure(ha: Partial<HaConfig> & { unicast?: boolean }): Promise<void> {
	for (const host of ['lb', 'lb2'] as const) {
		const { unicast, ...settings } = ha;
		await engineOf(host).apply(siteConfig(site.lan, ['cas1'], [], (config) => {
			config.network.address = site.lan.addr(host);
			config.network.hostname = host;
			config.ha = { ...config.ha, role: nodes[host].role, vip: VIP, clusterId: 78, advertIntervalMs: 250, preemptDelay: 0, ...settings, unicastPeer: unicast ? site.lan.addr(nodes[host].peer) : '' };
			applied[host] = config.ha;
		}));
	}
}

/** The VRRP state the status would report on `host`: keepalived's word judged against the VIP in its namespace. */
async function judged(host: Node) {
	const keepalived = parseVrrpStateFile(await readFile(engineOf(host).env.vrrpStateFile, 'utf8').catch(() => ''));
	return judgeVrrp(applied[host]!, { running: true, vipHeld: await holdsVip(host), keepalived });
}

const onlyOn = (host: Node) => async () => (await holdsVip(host)) && !(await holdsVip(nodes[host].peer as Node));
const link = (host: Node, state: 'up' | 'down') => execa('ip', ['-n', site.lan.ns('sw'), 'link', 'set', `p-${host}`, state]);
/** The bridge stops flooding multicast to both balancers' ports (as some virtual switches and clouds do). */
const multicast = async (flood: 'on' | 'off') => {
	for (const host of ['lb', 'lb2']) await execa('ip', ['netns', 'exec', site.lan.ns('sw'), 'bridge', 'link', 'set', 'dev', `p-${host}`, 'mcast_flood', flood]);
};

test.before(async () => {
	site = await startSite({ cas: ['cas1'], backupBalancer: true });
	await configure({});
	await waitFor('cas1 up on both balancers', 30_000, async () => {
		for (const engine of [site.engine, site.backupEngine!]) if (!(await serverStatus(engine.statsSocket, 'be_owa', 'cas1'))?.startsWith('UP')) return false;
		return true;
	}, 100);
});

test.after.always(async () => {
	await site?.stop();
});

test.serial('keepalived\'s own state agrees with the VIP on both nodes (the status cross-checks them)', async (t) => {
	await waitFor('the VIP on lb only', 30_000, onlyOn('lb'), 50);
	await waitFor('keepalived on lb says MASTER, on lb2 BACKUP', 10_000, async () => (await keepalivedSays('lb')) === 'MASTER' && (await keepalivedSays('lb2')) === 'BACKUP', 50);
	// keepalived runs on both (started by the engine's controller): what is judged is its word against the VIP.
	t.like(await judged('lb'), { state: 'MASTER', vipOnThisNode: true, problem: null });
	t.like(await judged('lb2'), { state: 'BACKUP', vipOnThisNode: false, problem: null });
});

test.serial('VRRP multicast dropped by the network: both nodes take the VIP; with unicast peers one does, and the backup takes over when the master dies', async (t) => {
	await multicast('off');
	try {
		await waitFor('both nodes holding the VIP (each hears no advertisement)', 30_000, async () => (await holdsVip('lb')) && (await holdsVip('lb2')), 50);
		await configure({ unicast: true });
		await waitFor('the VIP on lb only, adverts sent by unicast', 30_000, onlyOn('lb'), 50);
		await link('lb', 'down');
		await waitFor('the VIP taken by lb2 while lb\'s link is cut', 30_000, () => holdsVip('lb2'), 50);
		await link('lb', 'up');
		await waitFor('the VIP back on lb only (preempt delay 0)', 30_000, onlyOn('lb'), 50);
		// keepalived drops the VIP, then runs its notify script: the state file follows a moment later.
		await waitFor('keepalived on lb2 says BACKUP', 10_000, async () => (await keepalivedSays('lb2')) === 'BACKUP', 50);
		t.is(await keepalivedSays('lb2'), 'BACKUP');
	} finally {
		await link('lb', 'up');
		await multicast('on');
	}
});

test.serial('preempt never: the backup keeps the VIP after the master is healthy again', async (t) => {
	await configure({ preempt: 'never' });
	await waitFor('the VIP on lb only', 30_000, onlyOn('lb'), 50);
	await site.engine.controller.stop('haproxy');
	await waitFor('lb in FAULT and the VIP on lb2 only', 30_000, async () => (await keepalivedSays('lb')) === 'FAULT' && onlyOn('lb2')(), 50);
	await site.engine.controller.start('haproxy');
	await waitFor('lb healthy again (BACKUP)', 30_000, async () => (await keepalivedSays('lb')) === 'BACKUP', 50);
	// Twenty advertisement intervals of lb2 at a lower priority: lb hears each one and does not take over.
	const watched = Date.now();
	await waitFor('20 advertisement intervals', 15_000, async () => {
		if (!(await onlyOn('lb2')())) throw new Error('lb took the VIP back although preempt is never');
		return Date.now() - watched >= 20 * 250;
	}, 50);
	t.is(await keepalivedSays('lb'), 'BACKUP');
	// Back to the pair's usual state for the next test: lb2's keepalived restarted gives the VIP back.
	await site.backupEngine!.controller.stop('haproxy');
	await waitFor('the VIP on lb only', 30_000, onlyOn('lb'), 50);
	await site.backupEngine!.controller.start('haproxy');
});

test.serial('preempt after a delay: the returning master takes the VIP back once healthy for ha.preemptDelay seconds', async (t) => {
	await configure({ preempt: 'after-delay', preemptDelay: 3 });
	await waitFor('the VIP on lb only', 30_000, onlyOn('lb'), 50);
	await site.engine.controller.stop('haproxy');
	await waitFor('the VIP on lb2 only', 30_000, onlyOn('lb2'), 50);
	await site.engine.controller.start('haproxy');
	await waitFor('lb healthy again (BACKUP)', 30_000, async () => (await keepalivedSays('lb')) === 'BACKUP', 20);
	const healthy = Date.now();
	await waitFor('the VIP back on lb only', 30_000, onlyOn('lb'), 20);
	const waited = Date.now() - healthy;
	t.log(`lb took the VIP back ${waited} ms after it was healthy (preempt_delay 3 s)`);
	t.true(waited >= 2500, `the master waited its preempt delay before taking over (${waited} ms)`);
});
