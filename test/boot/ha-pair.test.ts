// Two appliances booted from the built image side by side on one L2 segment this test creates: a bridge in a network
// namespace holding both guests' taps, two test CAS servers (nginx), a client namespace and a veth to this process
// (10.77.0.254), so the API, the VIP and the peer channel are reached directly. One boot of each guest serves the
// issue's cases in turn:
// 0. booted with a saved ssl-offload + HA master configuration, lb-a serves HTTPS through stunnel and haproxy with a
//    certificate made at its first boot, redirects HTTP at the VIP keepalived holds, and its console menu lists the
//    units running;
// 1. paired through the API (a code typed wrong refused first); a save on the config primary (lb-a) → the peer
//    (lb-b) serves the same services, its shared-configuration hash equal to the primary's, with its own address
//    and role;
// 6. CAS 1 drained on the primary → drained on the backup too;
// 2. a client requesting through the VIP in a loop; the master powered off (QEMU killed) → the backup holds the VIP
//    and answers (CAS 2 only: the drain holds there too); the failover time and the failed requests are logged;
//    the master boots again → one master only, in sync again;
// 3. the link between them cut (their bridge ports isolated from each other) → both master; back → one master
//    within a bounded time, no sync loop (the revision unchanged);
// 4. the backup paused (QMP stop) during a save → the save answers at once, the sync pending; cont → caught up;
// 5. a sync from an identity the backup never paired with → refused, in its audit log, nothing changed.
// The timings are logged, not asserted (scripts/bench-ha.ts --ha-places tcg measures them over several runs).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { waitFor } from '../../services/apply/wait.js';
import { configVersion } from '../../services/config/schema.js';
import { sharedHash, sharedPart } from '../../services/config/shared.js';
import { makeIdentity, ensureIdentity } from '../../services/ha/identity.js';
import { callPeer } from '../../services/ha/peer-client.js';
import { PeerRefusal } from '../../services/ha/peer-protocol.js';
import { patchConfig } from '../helpers/api-client.js';
import {
	answering, bootNode, call, haStatus, holdsVip, hostName, inSync, isolated, joinSegment, mastersNow, nodes, offerToPair, pair, pairDisks, removeTap, running, saved, tapNames, vip,
	type NodeName, type PairNode,
} from '../helpers/appliance-pair.js';
import { version } from '../helpers/image-artifacts.js';
import { withBootSlot } from '../helpers/qemu.js';
import { startCas } from '../integration/harness/fake-exchange.js';
import { createLan, SUBNET_PREFIX } from '../integration/harness/netns.js';
import { failoverOf, startVipProbe } from '../integration/harness/vip-probe.js';
import { curlUntilAnswered, imageFile, menuPrompt, stepDeadlineMs } from './firstboot-support.js';

const password = `exlb-${randomBytes(12).toString('base64url')}`;

/** The certificate a TLS server presents, as `openssl x509` prints its subject, issuer, SAN and start date. */
async function presentedCertificate(address: string): Promise<string> {
	const handshake = await execa('openssl', ['s_client', '-connect', `${address}:443`, '-servername', hostName], { input: '', reject: false, timeout: 30_000 });
	const pem = /-----BEGIN CERTIFICATE-----[^]*?-----END CERTIFICATE-----/.exec(handshake.stdout)?.[0];
	if (pem === undefined) throw new Error(`no certificate from ${address}:443: ${handshake.stderr}`);
	return (await execa('openssl', ['x509', '-noout', '-subject', '-issuer', '-ext', 'subjectAltName', '-startdate', '-nameopt', 'RFC2253'], { input: pem })).stdout;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function scratch(t: ExecutionContext, name: string): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), `exlb-ha-${name}-`));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	return dir;
}

test('two appliances paired: sync, drain on both, failover through the VIP, a pulled cable, a paused peer, a stranger refused', async (t) => {
	const lan = await createLan({ cas1: 11, cas2: 12, client: 30 });
	t.teardown(() => lan.destroy());
	const casDir = await scratch(t, 'cas');
	const cas = [await startCas(lan, 'cas1', casDir), await startCas(lan, 'cas2', casDir)];
	t.teardown(() => Promise.allSettled(cas.map((server) => server.stopAll())));
	t.teardown(await joinSegment(lan));
	const disks = await pairDisks(imageFile(), { a: await scratch(t, 'a'), b: await scratch(t, 'b') });
	const taps = tapNames();

	await withBootSlot(t, 45 * 60_000, () => withBootSlot(t, 45 * 60_000, async () => {
		const partial = (name: NodeName) => ({ name, tap: taps[name], disk: disks[name] });
		t.teardown(() => Promise.allSettled([partial('a'), partial('b')].map((node) => removeTap(node, lan))));
		const started = Date.now();
		const a = { ...partial('a'), guest: await bootNode(partial('a'), lan) } as PairNode;
		t.teardown(() => a.guest.stop());
		const b = { ...partial('b'), guest: await bootNode(partial('b'), lan) } as PairNode;
		t.teardown(() => b.guest.stop());
		try {
			a.api = await answering(a, password, true);
			b.api = await answering(b, password, true);
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
			// A code typed wrong first: refused at its field, on the node where it was typed.
			const offered = await offerToPair(b);
			const wrong = await a.api.request('POST', '/api/v1/ha/pair', { json: { address: nodes.b.address, port: offered.port, code: offered.code.split('').reverse().join('') } });
			t.is(wrong.status, 422, wrong.text);
			t.is(wrong.body.error.errors[0].path, 'code');
			const { offer, paired } = await pair(a, b, offered);
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
			// A client in its own namespace, a new connection every 50 ms, 1 s per request.
			const probe = startVipProbe(lan, vip, 50, 1000);
			let failover: { ms: number; failed: number } | null = null;
			let killedAt = 0;
			try {
				await waitFor('answers through the VIP from lb-a', stepDeadlineMs, () => probe.results().some((result) => result.ok && result.by === nodes.a.address), 100);
				killedAt = Date.now();
				await a.guest.stop({ keepDisk: true });
				failover = await waitFor('an answer through the VIP from lb-b', stepDeadlineMs, () => failoverOf(probe.results(), killedAt, nodes.b.address) ?? undefined, 50);
				const served = () => probe.results().filter((result) => result.t >= killedAt && result.ok).length;
				await waitFor('a few more answers', stepDeadlineMs, () => served() >= 10, 100);
			} finally {
				await probe.stop();
			}
			const after = probe.results().filter((result) => result.t >= killedAt);
			t.log(`failover (power off → first answer through the VIP from lb-b): ${seconds(failover.ms)}; ${failover.failed} failed requests of ${after.length} sent since`);
			t.true(await holdsVip(b), 'the backup holds the VIP');
			t.deepEqual([...new Set(after.filter((result) => result.ok).map((result) => result.by))], [nodes.b.address], 'every answer after the power-off from lb-b');
			t.deepEqual([...new Set(after.filter((result) => result.ok).map((result) => result.cas))], ['cas2'], 'CAS 1, drained, gets no new session after the failover');

			// 2. (end) The master boots again: one master only, in sync.
			const returned = Date.now();
			a.guest = await bootNode(a, lan, a.guest.overlay);
			a.api = await answering(a, password, false);
			const one = await waitFor('one master once the master is back (after its preemption delay)', stepDeadlineMs, async () => {
				const masters = await mastersNow([a, b]);
				return masters.length === 1 && masters[0] === 'lb-a' ? masters : undefined;
			}, 500);
			t.log(`the master back: power on → it holds the VIP again: ${seconds(Date.now() - returned)}`);
			t.deepEqual(one, ['lb-a']);
			await waitFor('the pair in sync after the master came back', stepDeadlineMs, () => inSync(a, b), 500);

			// 3. The link between them cut: both bridge ports isolated from each other (each still reaches this process
			// and the CAS servers) → both master; the link back → one master, no sync loop.
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
