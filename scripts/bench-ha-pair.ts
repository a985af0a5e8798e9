// The HA pair measured with two appliances booted from the built image under QEMU TCG (not a test; nothing
// asserted), on one bridge in network namespaces with two nginx CAS servers and a client probing
// https://VIP/owa/ on a new connection every 50 ms (1 s per request). Paired through the API, then, --failovers times each:
//   sync      a save on the config primary → the change applied on the peer (its running configuration has it);
//   failover  the master frozen (QMP stop: no more advertisements, no goodbye, as when it dies) → the first answer
//             through the VIP served by the backup, and the requests that failed meanwhile; and → the backup's
//             first VRRP advertisement (it is master), seen by tcpdump on its bridge port;
//   return    the master resumed (QMP cont) → the first answer through the VIP served by it again;
//   split     the two nodes' bridge ports isolated from each other (both become master), then joined → the
//             backup's last advertisement (it gave the VIP up), and → both APIs saying the VIP is on the master only
//             (polled every 50 ms; an API call under TCG takes a while, so this one is slower).
// Called by scripts/bench-ha.ts (--ha-places tcg).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '../services/apply/wait.js';
import { imageFile, stepDeadlineMs } from '../test/boot/firstboot-support.js';
import { patchConfig } from '../test/helpers/api-client.js';
import {
	answering, bootNode, call, hostName, inSync, isolated, joinSegment, mastersNow, nodes, pair, pairDisks, removeTap, running, tapNames, vip, type NodeName, type PairNode,
} from '../test/helpers/appliance-pair.js';
import { startCas } from '../test/integration/harness/fake-exchange.js';
import { createLan, type Lan } from '../test/integration/harness/netns.js';
import { failoverDuring, type FailoverRun } from '../test/integration/harness/vip-probe.js';
import { watchAdverts, type AdvertWatch } from '../test/integration/harness/vrrp-adverts.js';
import { task } from './lib/progress.js';
import { median, round } from './lib/stats.js';

const step = <T>(name: string, run: () => Promise<T>): Promise<T> => task(`bench-ha (appliances): ${name}`, run);
const password = `exlb-${randomBytes(12).toString('base64url')}`;


export interface PairFigures {
	readonly setup: string;
	readonly bootToBothApisSeconds: number;
	readonly syncMs: { readonly medianMs: number; readonly runsMs: number[] };
	readonly masterDies: { readonly medianMs: number; readonly failedRequests: number[]; readonly runsMs: number[]; readonly backupAdvertisesMedianMs: number; readonly backupAdvertisesMs: number[] };
	readonly masterReturns: { readonly medianMs: number; readonly failedRequests: number[]; readonly runsMs: number[] };
	readonly splitBrainHeals: { readonly medianMs: number; readonly runsMs: number[]; readonly apisAgreeMedianMs: number; readonly apisAgreeMs: number[] };
}

/** The failover from `from` to `to` that `cause` sets off, seen by the client requesting through the VIP (1 s per request: TCG). */
const measure = (lan: Lan, from: NodeName, to: NodeName, cause: () => Promise<unknown>): Promise<FailoverRun> => failoverDuring(lan, vip, {
	from: nodes[from].address, to: { address: nodes[to].address, name: nodes[to].hostname }, cause, deadlineMs: stepDeadlineMs, pauseMs: 50, requestTimeoutMs: 1000,
});

/** The first advertisement at or after `since`, ms after it. */
async function firstAdvertAfter(watch: AdvertWatch, since: number): Promise<number> {
	return (await waitFor('an advertisement', stepDeadlineMs, () => watch.times().find((at) => at >= since), 20)) - since;
}

/** Once `watch`'s node has been silent for 2 s: its last advertisement after `since`, ms after it (0: none after). */
async function lastAdvertAfter(watch: AdvertWatch, since: number): Promise<number> {
	await waitFor('two seconds without an advertisement', stepDeadlineMs, () => Date.now() - (watch.times().at(-1) ?? 0) > 2000, 100);
	return Math.max(0, (watch.times().at(-1) ?? since) - since);
}

const onlyMaster = async (pairNodes: PairNode[]) => (await mastersNow(pairNodes)).join() === nodes.a.hostname;

export async function benchHaPair(rounds: number): Promise<PairFigures> {
	const cleanups: (() => Promise<unknown>)[] = [];
	try {
		const lan = await createLan({ cas1: 11, cas2: 12, client: 30 });
		cleanups.push(() => lan.destroy());
		const dir = await mkdtemp(path.join(tmpdir(), 'exlb-bench-ha-'));
		cleanups.push(() => rm(dir, { recursive: true, force: true }));
		for (const host of ['cas1', 'cas2']) {
			const server = await startCas(lan, host, dir);
			cleanups.push(() => server.stopAll());
		}
		cleanups.push(await joinSegment(lan));
		for (const name of ['a', 'b']) await mkdir(path.join(dir, name));
		const disks = await pairDisks(imageFile(), { a: path.join(dir, 'a'), b: path.join(dir, 'b') });
		const taps = tapNames();
		const partial = (name: NodeName) => ({ name, tap: taps[name], disk: disks[name] });
		cleanups.push(() => Promise.allSettled([removeTap(partial('a'), lan), removeTap(partial('b'), lan)]));

		const poweredOn = Date.now();
		const [a, b] = await step('boot both appliances', async () => {
			const one = { ...partial('a'), guest: await bootNode(partial('a'), lan) } as PairNode;
			cleanups.push(() => one.guest.stop());
			const other = { ...partial('b'), guest: await bootNode(partial('b'), lan) } as PairNode;
			cleanups.push(() => other.guest.stop());
			one.api = await answering(one, password, true);
			other.api = await answering(other, password, true);
			return [one, other];
		});
		const bootToBothApisSeconds = round((Date.now() - poweredOn) / 1000, 1);
		await step('pair, CAS servers and ssl-offload saved on lb-a, in sync', async () => {
			await pair(a, b);
			await patchConfig(a.api, { exchangeVersion: '2013+', casServers: [lan.addr('cas1'), lan.addr('cas2')], http: { mode: 'ssl-offload', hostName } });
			await call(a, 'POST', '/api/v1/config/save', { comment: 'bench: CAS servers' });
			await waitFor('the pair in sync', stepDeadlineMs, () => inSync(a, b), 500);
		});

		const syncs: number[] = [];
		const dies: FailoverRun[] = [];
		const takeovers: number[] = [];
		const returns: FailoverRun[] = [];
		const heals: number[] = [];
		const apisAgree: number[] = [];
		const backupAdverts = await watchAdverts(lan, b.tap, nodes.b.address);
		cleanups.push(() => backupAdverts.stop());
		for (let round = 1; round <= rounds; round++) {
			syncs.push(await step(`round ${round}: save → applied on the peer`, async () => {
				const timeout = 20 + round;
				await patchConfig(a.api, { http: { timeout } });
				const since = Date.now();
				await call(a, 'POST', '/api/v1/config/save', { comment: `bench: round ${round}` });
				await waitFor('the peer applied the save', stepDeadlineMs, async () => (await running(b)).http.timeout === timeout, 100);
				const ms = Date.now() - since;
				await waitFor('the pair in sync', stepDeadlineMs, () => inSync(a, b), 500);
				return ms;
			}));
			const died = await step(`round ${round}: the master frozen`, () => measure(lan, 'a', 'b', () => a.guest.qmp('stop')));
			dies.push(died);
			takeovers.push(await firstAdvertAfter(backupAdverts, died.since));
			returns.push(await step(`round ${round}: the master resumed`, () => measure(lan, 'b', 'a', () => a.guest.qmp('cont'))));
			await waitFor('the VIP on lb-a only', stepDeadlineMs, () => onlyMaster([a, b]), 100);
			await step(`round ${round}: split brain healed`, async () => {
				await isolated(lan, [a, b], true);
				try {
					await waitFor('both master', stepDeadlineMs, async () => (await mastersNow([a, b])).length === 2, 100);
				} finally {
					await isolated(lan, [a, b], false);
				}
				const since = Date.now();
				await waitFor('the VIP on lb-a only', stepDeadlineMs, () => onlyMaster([a, b]), 50);
				apisAgree.push(Date.now() - since);
				heals.push(await lastAdvertAfter(backupAdverts, since));
			});
		}
		const failovers = (list: FailoverRun[]) => ({ medianMs: round(median(list.map((run) => run.ms))), failedRequests: list.map((run) => run.failed), runsMs: list.map((run) => run.ms) });
		return {
			setup: 'two appliances (768 MiB, 2 vCPUs each) under QEMU TCG on one bridge, default ha settings (250 ms adverts), nginx CAS, client on a new connection every 50 ms, 1 s per request',
			bootToBothApisSeconds,
			syncMs: { medianMs: round(median(syncs)), runsMs: syncs },
			masterDies: { ...failovers(dies), backupAdvertisesMedianMs: round(median(takeovers)), backupAdvertisesMs: takeovers },
			masterReturns: failovers(returns),
			splitBrainHeals: { medianMs: round(median(heals)), runsMs: heals, apisAgreeMedianMs: round(median(apisAgree)), apisAgreeMs: apisAgree },
		};
	} finally {
		for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
	}
}
