// Two appliances booted from the built image side by side on one L2 segment this test creates: a bridge in a network
// namespace holding both guests' taps, two test CAS servers (nginx) and a veth to this process (10.77.0.254), so the
// API, the VIP and the peer channel are reached directly. One boot of each guest serves the cases in turn:
// 0. what engine-appliance.test.ts checked alone before: booted with a saved ssl-offload + HA master configuration,
//    lb-a serves HTTPS through stunnel and haproxy with a certificate made at its first boot, redirects HTTP at the
//    VIP keepalived holds, and its console menu lists the units running;
// 1. paired through the API; a save on the config primary (lb-a) → the peer (lb-b) serves the same services, its
//    shared-configuration hash equal to the primary's, with its own address and role;
// 6. CAS 1 drained on the primary → drained on the backup too;
// 2. requests through the VIP in a loop; the master powered off (QEMU killed) → the backup holds the VIP and answers
//    (CAS 2 only: the drain holds there too); the failover time and the failed requests are logged;
//    the master boots again → one master only, in sync again;
// 3. the link between them cut (their bridge ports isolated from each other) → both master; back → one master
//    within a bounded time, no sync loop (the revision unchanged);
// 4. the backup paused (QMP stop) during a save → the save answers at once, the sync pending; cont → caught up;
// 5. a sync from an identity the backup never paired with → refused, in its audit log, nothing changed.
// The timings are logged, not asserted (scripts/bench-ha.ts measures failover in namespaces).
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { waitFor } from '../../services/apply/wait.js';
import { configVersion, type Config } from '../../services/config/schema.js';
import { sharedHash, sharedPart } from '../../services/config/shared.js';
import { parseConfigText, serializeConfig } from '../../services/config/store.js';
import { makeIdentity, ensureIdentity } from '../../services/ha/identity.js';
import { callPeer } from '../../services/ha/peer-client.js';
import { PeerRefusal } from '../../services/ha/peer-protocol.js';
import { ApiClient, patchConfig } from '../helpers/api-client.js';
import { diskWithDataFiles } from '../helpers/data-partition.js';
import { loggedInAt } from '../helpers/firmware-api.js';
import { version } from '../helpers/image-artifacts.js';
import { bootGuest, withBootSlot, type Guest } from '../helpers/qemu.js';
import { startCas } from '../integration/harness/fake-exchange.js';
import { createLan, SUBNET_PREFIX, type Lan } from '../integration/harness/netns.js';
import { bootDeadlineMs, curlUntilAnswered, imageFile, menuPrompt, stepDeadlineMs, webBanner } from './firstboot-support.js';

const hostName = 'mail.exlb.test';
const vip = `${SUBNET_PREFIX}.50`;
const testAddress = `${SUBNET_PREFIX}.254`;
const password = `exlb-${randomBytes(12).toString('base64url')}`;
const nodes = {
	// Each its own MAC: QEMU gives every guest the same one unless told, and one bridge cannot hold two.
	a: { hostname: 'lb-a', address: `${SUBNET_PREFIX}.10`, role: 'master', mac: '52:54:00:77:00:10' },
	b: { hostname: 'lb-b', address: `${SUBNET_PREFIX}.9`, role: 'backup', mac: '52:54:00:77:00:09' },
} as const;
type NodeName = keyof typeof nodes;

interface Node {
	readonly name: NodeName;
	guest: Guest;
	api: ApiClient;
	readonly tap: string;
	readonly disk: string;
}

/** The node's saved configuration before its first boot: static address, its HA role, a short preemption delay. */
function seededConfig(name: NodeName): string {
	const node = nodes[name];
	const { config } = parseConfigText(JSON.stringify({
		network: { source: 'static', hostname: node.hostname, address: node.address, netmask: '255.255.255.0', gateway: testAddress },
		ha: { role: node.role, vip, clusterId: 78, preemptDelay: 10 },
		// lb-a: TLS offload from its first boot, before any CAS server is set (lb-b gets it by the sync).
		...(name === 'a' ? { http: { mode: 'ssl-offload', hostName } } : {}),
	}), `${node.hostname}'s test configuration`);
	return serializeConfig(config);
}

async function call(node: Node, method: string, pathname: string, json?: unknown): Promise<any> {
	const answer = await node.api.request(method, pathname, json === undefined ? {} : { json });
	if (answer.status !== 200) throw new Error(`${method} ${pathname} on ${nodes[node.name].hostname} answered ${answer.status}: ${answer.text}`);
	return answer.body;
}

const haStatus = (node: Node) => call(node, 'GET', '/api/v1/ha');
const saved = (node: Node): Promise<Config> => call(node, 'GET', '/api/v1/config/saved');
const running = (node: Node): Promise<Config> => call(node, 'GET', '/api/v1/config');
const holdsVip = async (node: Node): Promise<boolean> => (await call(node, 'GET', '/api/v1/status')).vrrp.vipOnThisNode === true;

/** The certificate a TLS server presents, as `openssl x509` prints its subject, issuer, SAN and start date. */
async function presentedCertificate(address: string): Promise<string> {
	const handshake = await execa('openssl', ['s_client', '-connect', `${address}:443`, '-servername', hostName], { input: '', reject: false, timeout: 30_000 });
	const pem = /-----BEGIN CERTIFICATE-----[^]*?-----END CERTIFICATE-----/.exec(handshake.stdout)?.[0];
	if (pem === undefined) throw new Error(`no certificate from ${address}:443: ${handshake.stderr}`);
	return (await execa('openssl', ['x509', '-noout', '-subject', '-issuer', '-ext', 'subjectAltName', '-startdate', '-nameopt', 'RFC2253'], { input: pem })).stdout;
}

/** The API on the node's own address, logged in (the first time with the factory password, changed at once). */
const loggedIn = (name: NodeName, first: boolean): Promise<ApiClient> => loggedInAt(`https://${nodes[name].address}:4444`, password, first);

/** Boots (or boots again, from its overlay) a node on its tap, which then joins the segment's bridge. */
async function boot(node: Pick<Node, 'name' | 'tap' | 'disk'>, lan: Lan, overlay?: string): Promise<Guest> {
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

/** Isolates the nodes' bridge ports from each other (on: they cannot reach each other, every other port still can). */
async function isolated(lan: Lan, pair: Node[], on: boolean): Promise<void> {
	for (const node of pair) await execa('ip', ['netns', 'exec', lan.ns('sw'), 'bridge', 'link', 'set', 'dev', node.tap, 'isolated', on ? 'on' : 'off']);
}

interface Probe {
	readonly at: number;
	readonly backend: string | null;
}

/** One HTTPS request through the VIP on a new connection: the CAS that answered, or null. */
function requestThroughVip(): Promise<string | null> {
	return new Promise((resolve) => {
		const request = https.get({ host: vip, port: 443, path: '/owa/', servername: hostName, rejectUnauthorized: false, agent: false, timeout: 1000 }, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode === 200 ? String(response.headers['x-backend'] ?? '') : null));
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(null));
	});
}

/** Requests through the VIP every 100 ms until stopped; every answer (or failure) with its time. */
function vipLoop(): { readonly probes: Probe[]; stop(): Promise<void> } {
	const probes: Probe[] = [];
	let running = true;
	const loop = (async () => {
		while (running) {
			const at = Date.now();
			probes.push({ at, backend: await requestThroughVip() });
			await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - at))));
		}
	})();
	return { probes, async stop() { running = false; await loop; } };
}

async function inSync(a: Node, b: Node): Promise<boolean> {
	const [one, other] = [await saved(a), await saved(b)];
	if (sharedHash(one) !== sharedHash(other)) return false;
	return (await haStatus(a)).sync?.state === 'in-sync' && (await haStatus(b)).sync?.state === 'in-sync';
}

async function mastersNow(pair: Node[]): Promise<string[]> {
	const holding = await Promise.all(pair.map(async (node): Promise<string | null> => (await holdsVip(node).catch(() => false)) ? nodes[node.name].hostname : null));
	return holding.filter((name) => name !== null);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function scratch(t: ExecutionContext, name: string): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), `exlb-ha-${name}-`));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	return dir;
}

test('two appliances paired: sync, drain on both, failover through the VIP, a pulled cable, a paused peer, a stranger refused', async (t) => {
	const lan = await createLan({ cas1: 11, cas2: 12 });
	t.teardown(() => lan.destroy());
	const casDir = await scratch(t, 'cas');
	const cas = [await startCas(lan, 'cas1', casDir), await startCas(lan, 'cas2', casDir)];
	t.teardown(() => Promise.allSettled(cas.map((server) => server.stopAll())));
	// This process on the segment: a veth whose other end is a port of the bridge.
	const link = `exlbh${randomBytes(3).toString('hex')}`;
	await execa('ip', ['link', 'add', link, 'type', 'veth', 'peer', 'name', 'p-test', 'netns', lan.ns('sw')]);
	t.teardown(() => execa('ip', ['link', 'delete', link], { reject: false }));
	await execa('ip', ['-n', lan.ns('sw'), 'link', 'set', 'p-test', 'master', 'br0']);
	await execa('ip', ['-n', lan.ns('sw'), 'link', 'set', 'p-test', 'up']);
	await execa('ip', ['address', 'add', `${testAddress}/24`, 'dev', link]);
	await execa('ip', ['link', 'set', link, 'up']);

	const suffix = randomBytes(2).toString('hex');
	const disks = { a: await diskWithDataFiles(imageFile(), { 'config/exlb.json': seededConfig('a') }, await scratch(t, 'a')), b: await diskWithDataFiles(imageFile(), { 'config/exlb.json': seededConfig('b') }, await scratch(t, 'b')) };

	await withBootSlot(t, 45 * 60_000, () => withBootSlot(t, 45 * 60_000, async () => {
		const partial = (name: NodeName) => ({ name, tap: `exlb${name}${suffix}`, disk: disks[name] });
		const a = { ...partial('a'), guest: await boot(partial('a'), lan) } as Node;
		t.teardown(() => a.guest.stop());
		const b = { ...partial('b'), guest: await boot(partial('b'), lan) } as Node;
		t.teardown(() => b.guest.stop());
		t.teardown(() => Promise.allSettled([a, b].map((node) => execa('ip', ['link', 'delete', node.tap], { reject: false }))));
		try {
			const started = Date.now();
			for (const node of [a, b]) await node.guest.waitFor(webBanner(nodes[node.name].address), { timeoutMs: bootDeadlineMs });
			a.api = await loggedIn('a', true);
			b.api = await loggedIn('b', true);
			t.log(`both appliances answering: ${seconds(Date.now() - started)} after QEMU started`);

			// The engine wired into the appliance, from its saved configuration alone: stunnel and haproxy answer on
			// lb-a's address (503: no CAS server yet) with a certificate made at this boot, keepalived holds the VIP,
			// where HTTP is redirected to HTTPS; the console menu's status lists the units running.
			await a.guest.waitFor(/Using the saved network configuration: 10\.77\.0\.10\/255\.255\.255\.0 via 10\.77\.0\.254\n/, { timeoutMs: stepDeadlineMs, fromStart: true });
			const https503 = await curlUntilAnswered(`https://${nodes.a.address}/owa/`, stepDeadlineMs);
			t.is(https503.status, '503', 'haproxy answers: no CAS server is configured');
			const redirect = await curlUntilAnswered(`http://${vip}/owa/`, stepDeadlineMs);
			t.is(redirect.status, '301');
			t.is(redirect.location, `https://${hostName}/owa/`);
			const certificate = await presentedCertificate(nodes.a.address);
			const escapedName = hostName.replaceAll('.', '\\.');
			t.regex(certificate, new RegExp(`^subject=CN=${escapedName}$`, 'm'));
			t.regex(certificate, new RegExp(`^issuer=CN=${escapedName}$`, 'm'), 'self-signed');
			t.regex(certificate, new RegExp(`DNS:${escapedName}`));
			const notBefore = Date.parse(/^notBefore=(.*)$/m.exec(certificate)?.[1] ?? '');
			t.true(notBefore >= started - 120_000 && notBefore <= Date.now() + 120_000, `made at this boot, not shipped: notBefore ${new Date(notBefore).toISOString()}`);
			await a.guest.waitFor(menuPrompt, { timeoutMs: stepDeadlineMs, fromStart: true });
			a.guest.send('1\r');
			await a.guest.waitFor(/Services:\n  haproxy +active \(running\)\n  keepalived +active \(running\)\n[^]*?  stunnel@exlb-https +active \(running\)\nVersions:/, { timeoutMs: stepDeadlineMs });

			// 1. Pairing, then a save on the config primary reaches the peer.
			const offer = await call(b, 'POST', '/api/v1/ha/offer');
			const paired = await call(a, 'POST', '/api/v1/ha/pair', { address: nodes.b.address, port: offer.port, code: offer.code });
			t.is(paired.pairing.configRole, 'primary');
			t.is(paired.pairing.peer.fingerprint, offer.fingerprint);
			t.is((await haStatus(b)).pairing.peer.fingerprint, paired.identity.fingerprint);
			t.is((await patchConfig(a.api, { exchangeVersion: '2013+', casServers: [lan.addr('cas1'), lan.addr('cas2')], http: { mode: 'ssl-offload', hostName } })).status, 200);
			const savedAt = Date.now();
			await call(a, 'POST', '/api/v1/config/save', { comment: 'CAS servers and ssl-offload' });
			await waitFor('the peer applied the save', stepDeadlineMs, async () => (await running(b)).http.mode === 'ssl-offload', 200);
			t.log(`sync latency (save on the primary → applied on the peer): ${seconds(Date.now() - savedAt)}`);
			await waitFor('the pair in sync', stepDeadlineMs, () => inSync(a, b), 500);
			const [savedA, savedB] = [await saved(a), await saved(b)];
			t.is(sharedHash(savedB), sharedHash(savedA));
			t.deepEqual(sharedPart(savedB), sharedPart(savedA));
			t.like(savedB.network, { hostname: nodes.b.hostname, address: nodes.b.address }, 'the peer keeps its own address');
			t.is(savedB.ha.role, 'backup', 'and its own role');
			t.deepEqual(await mastersNow([a, b]), ['lb-a']);

			// 6. (first half) CAS 1 drained on the primary → on the backup too.
			t.is((await a.api.request('PUT', '/api/v1/servers/cas/1/state', { json: { state: 'drain' } })).status, 200);
			await waitFor('CAS 1 drained on the backup', stepDeadlineMs, async () => (await running(b)).serverStates[lan.addr('cas1')] === 'drain', 500);

			// 2. The master powered off while a client requests through the VIP.
			const loop = vipLoop();
			await waitFor('answers through the VIP', stepDeadlineMs, () => loop.probes.some((probe) => probe.backend !== null), 100);
			const killedAt = Date.now();
			await a.guest.stop({ keepDisk: true });
			const answered = await waitFor('an answer through the VIP after the master went away', stepDeadlineMs, () => loop.probes.find((probe) => probe.at > killedAt && probe.backend !== null), 50);
			await waitFor('a few more answers', stepDeadlineMs, () => loop.probes.filter((probe) => probe.at > answered.at && probe.backend !== null).length >= 10, 100);
			await loop.stop();
			const during = loop.probes.filter((probe) => probe.at > killedAt);
			t.log(`failover (power off → first answer through the VIP): ${seconds(answered.at - killedAt)}; ${during.filter((probe) => probe.backend === null).length} failed requests of ${during.length}`);
			t.true(await holdsVip(b), 'the backup holds the VIP');
			t.deepEqual([...new Set(during.filter((probe) => probe.backend !== null).map((probe) => probe.backend))], ['cas2'], 'CAS 1, drained, gets no new session after the failover');

			// 2. (end) The master boots again: one master only, in sync.
			const returned = Date.now();
			a.guest = await boot(a, lan, a.guest.overlay);
			await a.guest.waitFor(webBanner(nodes.a.address), { timeoutMs: bootDeadlineMs });
			a.api = await loggedIn('a', false);
			const one = await waitFor('one master once the master is back (after its preemption delay)', stepDeadlineMs, async () => {
				const masters = await mastersNow([a, b]);
				return masters.length === 1 && masters[0] === 'lb-a' ? masters : undefined;
			}, 500);
			t.log(`the master back: power on → it holds the VIP again: ${seconds(Date.now() - returned)}`);
			t.deepEqual(one, ['lb-a']);
			await waitFor('the pair in sync after the master came back', stepDeadlineMs, () => inSync(a, b), 500);

			// 3. The link between them cut: both bridge ports isolated from each other (each still reaches this process,
			// the CAS servers and its own cable: a pulled cable would make keepalived go FAULT, not master) → both master;
			// the link back → one master, no sync loop.
			const revision = (await haStatus(a)).sync.revision;
			await isolated(lan, [a, b], true);
			const cut = Date.now();
			await waitFor('both master, each on its own', stepDeadlineMs, async () => (await mastersNow([a, b])).length === 2, 250);
			t.log(`the link between them cut → both master: ${seconds(Date.now() - cut)}`);
			const healed = Date.now();
			await isolated(lan, [a, b], false);
			await waitFor('one master again', stepDeadlineMs, async () => (await mastersNow([a, b])).join() === 'lb-a', 100);
			t.log(`split brain healed (the link back → one master): ${seconds(Date.now() - healed)}`);
			await waitFor('in sync after the split brain', stepDeadlineMs, () => inSync(a, b), 500);
			t.is((await haStatus(a)).sync.revision, revision, 'no configuration was sent back and forth');

			// 4. The backup paused during a save: the save answers at once; cont: it catches up.
			await b.guest.qmp('stop');
			try {
				await patchConfig(a.api, { http: { timeout: 25 } });
				const saveStarted = Date.now();
				await call(a, 'POST', '/api/v1/config/save', { comment: 'while the peer is paused' });
				t.log(`the save with the peer paused answered in ${Date.now() - saveStarted} ms`);
				await waitFor('the primary to say pending', stepDeadlineMs, async () => (await haStatus(a)).sync.state === 'pending', 250);
			} finally {
				await b.guest.qmp('cont');
			}
			await waitFor('the peer caught up', stepDeadlineMs * 2, () => inSync(a, b), 500);
			t.is((await running(b)).http.timeout, 25);

			// 5. A stranger's sync: refused, logged, nothing changed.
			const before = await saved(b);
			const revisionsBefore = (await call(b, 'GET', '/api/v1/config/history')).revisions.length;
			const strangerFile = path.join(await scratch(t, 'stranger'), 'identity.pem');
			await makeIdentity(strangerFile);
			const changed = { ...sharedPart(before), casServers: [`${SUBNET_PREFIX}.99`] };
			const refusal = await t.throwsAsync(callPeer('sync', { address: nodes.b.address, port: offer.port, certificate: null }, await ensureIdentity(strangerFile), {
				revision: 1000, hash: sharedHash(changed), hostname: 'stranger', firmwareVersion: version, schemaVersion: configVersion, shared: changed, certificates: [],
			}), { instanceOf: PeerRefusal });
			t.is((refusal as PeerRefusal).reason, 'wrong-identity');
			t.is(sharedHash(await saved(b)), sharedHash(before), 'the peer\'s configuration is unchanged');
			t.is((await call(b, 'GET', '/api/v1/config/history')).revisions.length, revisionsBefore, 'no revision was made');
			const audit = (await call(b, 'GET', '/api/v1/audit?limit=20')).entries as { operation: string; outcome: string }[];
			t.true(audit.some((entry) => entry.operation === 'ha.peer.sync' && entry.outcome === 'refused'), 'the refusal is in the peer\'s audit log');
		} catch (error) {
			t.log(`lb-a console:\n${a.guest.tail(60)}\nlb-b console:\n${b.guest.tail(60)}`);
			throw error;
		}
	}));
});
