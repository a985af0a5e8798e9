// HA failover benchmark (not a test; nothing asserted), in two places (--ha-places):
// netns: two balancers (lb master, lb2 backup) with the image's keepalived and haproxy in network namespaces on one bridge, a client requesting https://VIP/owa/ every 20 ms on
// a new connection (300 ms deadline each). For each VRRP advertisement interval measured:
//   link     the master's link is cut on the switch (a node that dies: no more advertisements, no goodbye) →
//            the first answer served by the backup through the VIP; then the link comes back → the master serves
//            again (preempt, delay 0 here);
//   haproxy  the master's haproxy is stopped (the tracked process) → the first answer served by the backup;
//   split    the bridge stops flooding VRRP multicast to both balancers (each hears nothing: both take the VIP, a
//            split brain), then floods it again → the VIP on the master only (the heal time).
// Reported per interval and case: the median time to the first answer and the failed requests meanwhile, over
// --failovers runs.
// tcg: two appliances booted from the built image under QEMU, paired: sync latency, failover, return and split-brain
// heal (scripts/bench-ha-pair.ts).
// Writes out/bench-ha.json. Part of `make bench` (scripts/bench.ts), or alone:
//   node --import=tsx scripts/bench-ha.ts [--ha-places netns,tcg] [--failovers N] [--intervals 1000,500,250,100]
import os from 'node:os';
import { execa } from 'execa';
import { echo, fs, path } from 'zx';
import { startSite, type Site } from '../test/integration/harness/site.js';
import { siteConfig, type EngineUnderTest } from '../test/integration/harness/engine.js';
import { serverStatus } from '../test/integration/harness/haproxy-stats.js';
import { failoverDuring } from '../test/integration/harness/vip-probe.js';
import { SUBNET_PREFIX } from '../test/integration/harness/netns.js';
import { waitFor } from '../services/apply/wait.js';
import { benchHaPair, type PairFigures } from './bench-ha-pair.js';
import { repoRoot } from '../test/helpers/image-artifacts.js';
import '../test/helpers/use-shipped-daemons.js'; // the image's keepalived and haproxy, not the host's
import { cli, isMain, runMain, type Values } from './lib/args.js';
import { haOptions } from './lib/bench-options.js';
import { task } from './lib/progress.js';
import { median, reportHeader, round } from './lib/stats.js';

const outFile = path.join(repoRoot, 'out', 'bench-ha.json');
const VIP = `${SUBNET_PREFIX}.50`;
const step = <T>(name: string, run: () => Promise<T>): Promise<T> => task(`bench-ha: ${name}`, run);

interface Run {
	readonly ms: number;
	readonly failed: number;
}

async function holdsVip(site: Site, host: string): Promise<boolean> {
	const { stdout } = await site.lan.run(host, 'ip', ['-4', '-o', 'addr', 'show', 'dev', 'eth0']);
	return stdout.includes(` ${VIP}/`);
}

async function casUp(engine: EngineUnderTest): Promise<boolean> {
	return (await serverStatus(engine.statsSocket, 'be_owa', 'cas1'))?.startsWith('UP') ?? false;
}

/** Applies the pair's configurations with `advertIntervalMs` and waits for the master to serve through the VIP. */
async function configure(site: Site, advertIntervalMs: number): Promise<void> {
	const ha = (role: 'master' | 'backup', host: string) => siteConfig(site.lan, ['cas1'], [], (config) => {
		config.network.address = site.lan.addr(host);
		config.network.hostname = host;
		config.ha = { ...config.ha, role, vip: VIP, clusterId: 77, advertIntervalMs, preemptDelay: 0 };
	});
	await site.engine.apply(ha('master', 'lb'));
	await site.backupEngine!.apply(ha('backup', 'lb2'));
	await waitFor('both balancers see cas1 up', 30_000, async () => (await casUp(site.engine)) && casUp(site.backupEngine!), 100);
	await waitFor('the VIP on lb only', 60_000, async () => (await holdsVip(site, 'lb')) && !(await holdsVip(site, 'lb2')), 50);
}

/** The failover to `to` that `cause` sets off, seen by a client requesting through the VIP. */
const measure = (site: Site, to: string, cause: () => Promise<unknown>): Promise<Run> =>
	failoverDuring(site.lan, VIP, { to: { address: site.lan.addr(to), name: to }, cause, deadlineMs: 60_000 });

const link = (site: Site, state: 'up' | 'down') => execa('ip', ['-n', site.lan.ns('sw'), 'link', 'set', 'p-lb', state]);

/** The bridge floods multicast (VRRP's 224.0.0.18) to both balancers' ports, or not. */
async function multicast(site: Site, flood: 'on' | 'off'): Promise<void> {
	for (const host of ['lb', 'lb2']) await execa('ip', ['netns', 'exec', site.lan.ns('sw'), 'bridge', 'link', 'set', 'dev', `p-${host}`, 'mcast_flood', flood]);
}

/** Both nodes master (multicast dropped), then multicast back: ms until the VIP is on the master only. */
async function splitBrainHeals(site: Site): Promise<number> {
	await multicast(site, 'off');
	try {
		await waitFor('both balancers holding the VIP', 60_000, async () => (await holdsVip(site, 'lb')) && holdsVip(site, 'lb2'), 20);
	} finally {
		await multicast(site, 'on');
	}
	const since = Date.now();
	await waitFor('the VIP on lb only', 60_000, async () => (await holdsVip(site, 'lb')) && !(await holdsVip(site, 'lb2')), 10);
	return Date.now() - since;
}

/** Per advertisement interval: the failovers of two balancers in network namespaces. */
async function inNamespaces(rounds: number, intervals: readonly string[]): Promise<Record<string, unknown>> {
	const site = await step('namespaces, nginx CAS, two balancers', () => startSite({ cas: ['cas1'], backupBalancer: true }));
	const figures: Record<string, unknown> = {};
	try {
		for (const advertIntervalMs of intervals.map(Number)) {
			const runs: Record<'link' | 'back' | 'haproxy', Run[]> = { link: [], back: [], haproxy: [] };
			const heals: number[] = [];
			await step(`advert ${advertIntervalMs} ms: configure`, () => configure(site, advertIntervalMs));
			for (let round = 1; round <= rounds; round++) {
				runs.link.push(await step(`advert ${advertIntervalMs} ms, round ${round}: master's link cut`, () => measure(site, 'lb2', () => link(site, 'down').then(() => {}))));
				runs.back.push(await step(`advert ${advertIntervalMs} ms, round ${round}: link back`, () => measure(site, 'lb', () => link(site, 'up').then(() => {}))));
				await waitFor('the VIP on lb only', 60_000, async () => (await holdsVip(site, 'lb')) && !(await holdsVip(site, 'lb2')), 50);
				runs.haproxy.push(await step(`advert ${advertIntervalMs} ms, round ${round}: master's haproxy stopped`, () => measure(site, 'lb2', () => site.engine.controller.stop('haproxy'))));
				await site.engine.controller.start('haproxy');
				await waitFor('the VIP back on lb only', 60_000, async () => (await holdsVip(site, 'lb')) && !(await holdsVip(site, 'lb2')), 50);
				heals.push(await step(`advert ${advertIntervalMs} ms, round ${round}: split brain healed`, () => splitBrainHeals(site)));
			}
			const summary = (list: Run[]) => ({ medianMs: round(median(list.map((run) => run.ms))), failedRequests: list.map((run) => run.failed), runsMs: list.map((run) => run.ms) });
			const splitBrain = { medianMs: round(median(heals)), runsMs: heals };
			figures[`${advertIntervalMs}ms`] = { masterDies: summary(runs.link), masterReturns: summary(runs.back), haproxyStops: summary(runs.haproxy), splitBrainHeals: splitBrain };
			echo(`advert ${advertIntervalMs} ms: master dies → backup serves ${summary(runs.link).medianMs} ms; returns ${summary(runs.back).medianMs} ms; haproxy stops → ${summary(runs.haproxy).medianMs} ms; split brain healed in ${splitBrain.medianMs} ms`);
		}
	} finally {
		await site.stop();
	}
	return figures;
}

export async function benchHa({ 'ha-places': places, failovers: rounds, intervals }: Values<typeof haOptions>): Promise<void> {
	const loadAtStart = os.loadavg().map((x) => round(x, 2));
	const intervalFigures = places.includes('netns') ? await inNamespaces(rounds, intervals) : undefined;
	let appliances: PairFigures | undefined;
	if (places.includes('tcg')) {
		appliances = await benchHaPair(rounds);
		echo(`two appliances under TCG: save → applied on the peer ${appliances.syncMs.medianMs} ms; master frozen → backup advertises ${appliances.masterDies.backupAdvertisesMedianMs} ms, serves ${appliances.masterDies.medianMs} ms (failed requests ${appliances.masterDies.failedRequests.join(', ')}); resumed → master serves ${appliances.masterReturns.medianMs} ms; split brain healed in ${appliances.splitBrainHeals.medianMs} ms (the backup's last advertisement; both APIs agree after ${appliances.splitBrainHeals.apisAgreeMedianMs} ms)`);
	}
	const report = {
		...reportHeader({ seconds: 0, rounds, loadAtStart, setup: 'netns: two balancers in network namespaces on one bridge (image keepalived 2.3 VRRPv3, haproxy), nginx CAS, client probing https://VIP/owa/ every 20 ms, 300 ms per request; tcg: see appliances.setup' }),
		...(intervalFigures === undefined ? {} : { intervals: intervalFigures }),
		...(appliances === undefined ? {} : { appliances }),
	};
	await fs.outputJson(outFile, report, { spaces: '\t' });
	echo(`bench-ha: wrote ${path.relative(repoRoot, outFile)}`);
}

if (isMain(import.meta.url)) {
	await runMain('bench-ha', () => benchHa(cli('usage: node --import=tsx scripts/bench-ha.ts [options]\nVIP failover time in network namespaces → out/bench-ha.json', haOptions)));
}
