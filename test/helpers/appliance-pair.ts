// Two appliances booted from the built image side by side on one L2 segment: the bridge of the namespace 'sw' that
// createLan makes (test CAS servers and a client namespace are its other ports), each guest on a tap moved onto it,
// and this process on it too, through a veth (10.77.0.254), to reach their APIs. Shared by
// test/boot/ha-pair.test.ts and scripts/bench-ha.ts (--ha-places tcg).
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import type { Config } from '../../services/config/schema.js';
import { sharedHash } from '../../services/config/shared.js';
import { parseConfigText, serializeConfig } from '../../services/config/store.js';
import { bootDeadlineMs, stepDeadlineMs, webBanner } from '../boot/firstboot-support.js';
import { SUBNET_PREFIX, type Lan } from '../integration/harness/netns.js';
import type { ApiClient } from './api-client.js';
import { diskWithDataFiles } from './data-partition.js';
import { loggedInAt } from './firmware-api.js';
import { bootGuest, type Guest } from './qemu.js';

export const hostName = 'mail.exlb.test';
export const vip = `${SUBNET_PREFIX}.50`;
/** This process's address on the segment. */
export const testAddress = `${SUBNET_PREFIX}.254`;
export const nodes = {
	// Each its own MAC: QEMU gives every guest the same one unless told, and one bridge cannot hold two.
	a: { hostname: 'lb-a', address: `${SUBNET_PREFIX}.10`, role: 'master', mac: '52:54:00:77:00:10' },
	b: { hostname: 'lb-b', address: `${SUBNET_PREFIX}.9`, role: 'backup', mac: '52:54:00:77:00:09' },
} as const;
export type NodeName = keyof typeof nodes;

export interface PairNode {
	readonly name: NodeName;
	readonly tap: string;
	readonly disk: string;
	guest: Guest;
	api: ApiClient;
}

/** A node's saved configuration before its first boot: static address, its HA role, a short preemption delay. */
export function seededConfig(name: NodeName): string {
	const node = nodes[name];
	const { config } = parseConfigText(JSON.stringify({
		network: { source: 'static', hostname: node.hostname, address: node.address, netmask: '255.255.255.0', gateway: testAddress },
		ha: { role: node.role, vip, clusterId: 78, preemptDelay: 10 },
		// lb-a: TLS offload from its first boot, before any CAS server is set (lb-b gets it by the sync).
		...(name === 'a' ? { http: { mode: 'ssl-offload', hostName } } : {}),
	}), `${node.hostname}'s test configuration`);
	return serializeConfig(config);
}

/** Copies of the image, each with its node's configuration saved on the data partition, in `dirs`. */
export async function pairDisks(image: string, dirs: Record<NodeName, string>): Promise<Record<NodeName, string>> {
	return {
		a: await diskWithDataFiles(image, { 'config/exlb.json': seededConfig('a') }, dirs.a),
		b: await diskWithDataFiles(image, { 'config/exlb.json': seededConfig('b') }, dirs.b),
	};
}

/** A tap name per node, unique to this run. */
export function tapNames(): Record<NodeName, string> {
	const suffix = randomBytes(2).toString('hex');
	return { a: `exlba${suffix}`, b: `exlbb${suffix}` };
}

/** This process on the segment: a veth whose other end is a port of the bridge; resolves to its remover. */
export async function joinSegment(lan: Lan): Promise<() => Promise<void>> {
	const link = `exlbh${randomBytes(3).toString('hex')}`;
	await execa('ip', ['link', 'add', link, 'type', 'veth', 'peer', 'name', 'p-test', 'netns', lan.ns('sw')]);
	const remove = async () => { await execa('ip', ['link', 'delete', link], { reject: false }); };
	try {
		await execa('ip', ['-n', lan.ns('sw'), 'link', 'set', 'p-test', 'master', 'br0']);
		await execa('ip', ['-n', lan.ns('sw'), 'link', 'set', 'p-test', 'up']);
		await execa('ip', ['address', 'add', `${testAddress}/24`, 'dev', link]);
		await execa('ip', ['link', 'set', link, 'up']);
	} catch (error) {
		await remove();
		throw error;
	}
	return remove;
}

/** Boots (or, from its overlay, boots again) a node on its tap, which then joins the segment's bridge. */
export async function bootNode(node: Pick<PairNode, 'name' | 'tap' | 'disk'>, lan: Lan, overlay?: string): Promise<Guest> {
	if (overlay === undefined) await execa('ip', ['tuntap', 'add', 'dev', node.tap, 'mode', 'tap']);
	else await execa('ip', ['-n', lan.ns('sw'), 'link', 'set', node.tap, 'netns', '1']);
	const guest = await bootGuest({ disk: node.disk, overlay, name: nodes[node.name].hostname, memoryMiB: 768, nics: [{ model: 'virtio-net-pci', mac: nodes[node.name].mac, netdev: { type: 'tap', ifname: node.tap } }] });
	// Once the boot loader speaks QEMU holds the tap open (moved before, QEMU would make a new one here): into the
	// switch's namespace, on its bridge.
	await guest.waitFor(/exlb: booting slot [AB]/, { timeoutMs: stepDeadlineMs });
	await execa('ip', ['link', 'set', node.tap, 'netns', lan.ns('sw')]);
	await execa('ip', ['-n', lan.ns('sw'), 'link', 'set', node.tap, 'master', 'br0']);
	await execa('ip', ['-n', lan.ns('sw'), 'link', 'set', node.tap, 'up']);
	return guest;
}

/** Removes a node's tap, wherever it is now (the host's namespace or the switch's). */
export async function removeTap(node: Pick<PairNode, 'tap'>, lan: Lan): Promise<void> {
	await execa('ip', ['link', 'delete', node.tap], { reject: false });
	await execa('ip', ['-n', lan.ns('sw'), 'link', 'delete', node.tap], { reject: false });
}

/** Waits for the node's banner and its API, and logs in (the first time with the factory password, changed at once). */
export async function answering(node: PairNode, password: string, first: boolean): Promise<ApiClient> {
	await node.guest.waitFor(webBanner(nodes[node.name].address), { timeoutMs: bootDeadlineMs });
	return loggedInAt(`https://${nodes[node.name].address}:4444`, password, first);
}

export async function call(node: PairNode, method: string, pathname: string, json?: unknown): Promise<any> {
	const answer = await node.api.request(method, pathname, json === undefined ? {} : { json });
	if (answer.status !== 200) throw new Error(`${method} ${pathname} on ${nodes[node.name].hostname} answered ${answer.status}: ${answer.text}`);
	return answer.body;
}

export const haStatus = (node: PairNode) => call(node, 'GET', '/api/v1/ha');
export const saved = (node: PairNode): Promise<Config> => call(node, 'GET', '/api/v1/config/saved');
export const running = (node: PairNode): Promise<Config> => call(node, 'GET', '/api/v1/config');
export const holdsVip = async (node: PairNode): Promise<boolean> => (await call(node, 'GET', '/api/v1/status')).vrrp.vipOnThisNode === true;

/** b's offer to pair: its one-time code, port and fingerprint. */
export const offerToPair = (b: PairNode): Promise<any> => call(b, 'POST', '/api/v1/ha/offer');

/** Pairs b (which offers, unless `offer` is one it made) with a (the config primary): the offer and a's answer. */
export async function pair(a: PairNode, b: PairNode, offer?: any): Promise<{ offer: any; paired: any }> {
	offer ??= await offerToPair(b);
	const paired = await call(a, 'POST', '/api/v1/ha/pair', { address: nodes.b.address, port: offer.port, code: offer.code });
	return { offer, paired };
}

/** Both saved configurations share one hash, and both nodes say in sync. */
export async function inSync(a: PairNode, b: PairNode): Promise<boolean> {
	const [one, other] = [await saved(a), await saved(b)];
	if (sharedHash(one) !== sharedHash(other)) return false;
	return (await haStatus(a)).sync?.state === 'in-sync' && (await haStatus(b)).sync?.state === 'in-sync';
}

/** The host names of the nodes holding the VIP now (a node that does not answer holds none). */
export async function mastersNow(pairNodes: PairNode[]): Promise<string[]> {
	const holding = await Promise.all(pairNodes.map(async (node): Promise<string | null> => (await holdsVip(node).catch(() => false)) ? nodes[node.name].hostname : null));
	return holding.filter((name) => name !== null);
}

/**
 * Isolates the nodes' bridge ports from each other (on: they cannot reach each other, every other port still can;
 * a pulled cable would make keepalived go FAULT, not master).
 */
export async function isolated(lan: Lan, pairNodes: PairNode[], on: boolean): Promise<void> {
	for (const node of pairNodes) await execa('ip', ['netns', 'exec', lan.ns('sw'), 'bridge', 'link', 'set', 'dev', node.tap, 'isolated', on ? 'on' : 'off']);
}
