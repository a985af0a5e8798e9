// Two real engines, each with its own EXLB_ROOT and its peer channel on its own loopback address (127.0.0.2 and
// 127.0.0.3), and a web server in front of each (test/integration/web/ha-nodes.ts):
// paired through the API, the config primary's saves reach the secondary (which keeps its own network and role),
// a stopped secondary never holds a save up and catches up when it runs again, a drain set on either node is set on
// both, and what is not the pinned peer, another firmware or an older revision is refused, logged, and changes
// nothing. The engines drive no daemon (EXLB_CONTROLLER=none); the image's haproxy, stunnel and keepalived still
// check every configuration they apply.
import test from 'ava';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { startHaNodes, stopHaNode, type HaNode } from './web/ha-nodes.js';
import { patchConfig } from '../helpers/api-client.js';
import { waitFor } from '../../services/apply/wait.js';
import { sharedHash, sharedPart } from '../../services/config/shared.js';
import type { Config } from '../../services/config/schema.js';
import { ensureIdentity, makeIdentity } from '../../services/ha/identity.js';
import { callPeer } from '../../services/ha/peer-client.js';
import { PeerRefusal, type SyncRequest } from '../../services/ha/peer-protocol.js';
import { configVersion } from '../../services/config/schema.js';
import { exlb } from '../helpers/exlb-cli.js';

type Node = HaNode;

let primary: Node;
let secondary: Node;
const scratch = await mkdtemp(path.join(tmpdir(), 'exlb-ha-sync-'));

async function call(node: Node, method: string, path: string, json?: unknown): Promise<any> {
	const answer = await node.api.request(method, path, json === undefined ? {} : { json });
	if (answer.status !== 200) throw new Error(`${method} ${path} on ${node.host} answered ${answer.status}: ${answer.text}`);
	return answer.body;
}

const status = (node: Node) => call(node, 'GET', '/api/v1/ha');
const saved = (node: Node): Promise<Config> => call(node, 'GET', '/api/v1/config/saved');
const running = (node: Node): Promise<Config> => call(node, 'GET', '/api/v1/config');
const save = (node: Node) => call(node, 'POST', '/api/v1/config/save', {});

/** Both nodes' saved shared parts are the same and both say "in-sync". */
async function inSync(): Promise<boolean> {
	const [a, b] = [await saved(primary), await saved(secondary)];
	if (sharedHash(a) !== sharedHash(b)) return false;
	return (await status(primary)).sync?.state === 'in-sync' && (await status(secondary)).sync?.state === 'in-sync';
}

test.before(async () => {
	// The secondary's subnet is the smaller (/25): a VIP the primary accepts can be one the secondary must refuse.
	[primary, secondary] = await startHaNodes(
		{ host: 'lb-a', peer: '127.0.0.2', address: '10.77.0.10', netmask: '255.255.255.0', role: 'master' },
		{ host: 'lb-b', peer: '127.0.0.3', address: '10.77.0.9', netmask: '255.255.255.128', role: 'backup' },
	);
});

test.after.always(async () => {
	await stopHaNode(primary);
	await stopHaNode(secondary);
	await rm(scratch, { recursive: true, force: true });
});

test.serial('pairing through the API: a wrong code is refused at its field; the right one pins each node\'s certificate on the other', async (t) => {
	const offer = await call(secondary, 'POST', '/api/v1/ha/offer');
	t.regex(offer.code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
	t.is(offer.port, secondary.peerPort);
	const wrong = await primary.api.request('POST', '/api/v1/ha/pair', { json: { address: secondary.peer, port: secondary.peerPort, code: offer.code.split('').reverse().join('') } });
	t.is(wrong.status, 422);
	t.is(wrong.body.error.errors[0].path, 'code');
	t.regex(wrong.body.error.message, /wrong pairing code \(4 attempts left\)/);
	t.is((await status(primary)).pairing, null, 'nothing paired on the primary');
	t.is((await status(secondary)).pairing, null, 'nor on the secondary');

	const paired = await call(primary, 'POST', '/api/v1/ha/pair', { address: secondary.peer, port: secondary.peerPort, code: offer.code.toLowerCase() });
	t.is(paired.pairing.configRole, 'primary');
	t.is(paired.pairing.peer.fingerprint, offer.fingerprint, 'the primary pinned the certificate the secondary showed with its code');
	const other = await status(secondary);
	t.is(other.pairing.configRole, 'secondary');
	t.is(other.pairing.peer.fingerprint, paired.identity.fingerprint, 'the secondary pinned the primary\'s');
	t.is(other.pairing.peer.address, primary.peer, 'the address the primary called from');
	t.is(other.offer, null, 'the code was used once');
	await waitFor('the pair in sync after pairing', 60_000, inSync, 250);
	const cli = await exlb(scratch, ['ha', 'status'], { EXLB_ENGINE_SOCKET: secondary.engine.socketPath });
	t.is(cli.exitCode, 0, cli.stderr);
	t.regex(cli.stdout, /^this node is the config secondary$/m);
	t.regex(cli.stdout, /^sync: in-sync, revision 1$/m);
	t.regex(cli.stdout, new RegExp(`^paired with lb-a \\(127\\.0\\.0\\.2:${primary.peerPort}\\), certificate ${paired.identity.fingerprint}$`, 'm'));
});

test.serial('a save on the primary reaches the secondary: the same shared part, its own network and role, a "sync" revision', async (t) => {
	await patchConfig(primary.api, { casServers: ['10.77.0.11', '10.77.0.12'], http: { mode: 'ssl-offload', hostName: 'mail.exlb.test' }, imap: { mode: 'clear' } });
	await save(primary);
	const savedAt = Date.now();
	await waitFor('the secondary applied the save', 60_000, async () => (await saved(secondary)).http.mode === 'ssl-offload', 20);
	t.log(`save on the primary → applied and saved on the secondary: ${Date.now() - savedAt} ms`);
	await waitFor('the secondary in sync with the save', 60_000, inSync, 250);
	const [a, b] = [await saved(primary), await saved(secondary)];
	t.deepEqual(sharedPart(b), sharedPart(a));
	t.like(b.network, { hostname: 'lb-b', address: secondary.address }, 'the secondary keeps its own network');
	t.is(b.ha.role, 'backup', 'and its own role');
	t.is((await running(secondary)).http.mode, 'ssl-offload', 'applied, not only saved');
	const revisions = (await call(secondary, 'GET', '/api/v1/config/history')).revisions;
	t.like(revisions[0], { source: 'sync', user: 'peer:lb-a' });
	t.regex(revisions[0].comment, /^from lb-a, revision \d+$/);
});

test.serial('the secondary stopped (SIGSTOP) during a save: the save returns at once, the sync is pending; SIGCONT: it catches up', async (t) => {
	process.kill(secondary.engine.pid!, 'SIGSTOP');
	try {
		await patchConfig(primary.api, { casServers: ['10.77.0.11', '10.77.0.12', '10.77.0.13'] });
		const started = Date.now();
		await save(primary);
		const took = Date.now() - started;
		t.log(`the save answered in ${took} ms with the secondary stopped`);
		// A save that waited for the peer would wait at least the peer channel's 5 s handshake deadline.
		t.true(took < 5000, `the save did not wait for the stopped peer (${took} ms)`);
		const pending = await waitFor('the primary to say pending (the peer away)', 30_000, async () => {
			const sync = (await status(primary)).sync;
			return sync.state === 'pending' && /trying again/.test(sync.reason ?? '') ? sync : false;
		}, 200);
		t.regex(pending.reason, /did not complete a TLS handshake|did not answer/);
	} finally {
		process.kill(secondary.engine.pid!, 'SIGCONT');
	}
	await waitFor('the secondary caught up', 90_000, inSync, 250);
	t.deepEqual((await saved(secondary)).casServers, ['10.77.0.11', '10.77.0.12', '10.77.0.13']);
});

test.serial('a drain set on either node is set on both', async (t) => {
	const drained = await primary.api.request('PUT', '/api/v1/servers/cas/1/state', { json: { state: 'drain' } });
	t.is(drained.status, 200, drained.text);
	await waitFor('cas1 drained on the secondary', 30_000, async () => (await running(secondary)).serverStates['10.77.0.11'] === 'drain', 200);
	const maint = await secondary.api.request('PUT', '/api/v1/servers/cas/2/state', { json: { state: 'maint' } });
	t.is(maint.status, 200, maint.text);
	await waitFor('cas2 in maintenance on the primary', 30_000, async () => (await running(primary)).serverStates['10.77.0.12'] === 'maint', 200);
	await waitFor('the pair in sync with both states', 60_000, inSync, 250);
	t.deepEqual((await saved(secondary)).serverStates, { '10.77.0.11': 'drain', '10.77.0.12': 'maint' });
	t.deepEqual((await status(primary)).drains, [], 'nothing left to send');
});

test.serial('refused, logged, nothing changed: another node\'s certificate, another firmware, an older revision', async (t) => {
	const beforeConfig = await saved(secondary);
	const before = sharedHash(beforeConfig);
	const beforeRevisions = (await call(secondary, 'GET', '/api/v1/config/history')).revisions.length;
	const shared = sharedPart(await saved(primary));
	const message = (revision: number, firmwareVersion = '9.9.9', changed = shared): SyncRequest => ({
		revision, hash: sharedHash(changed), hostname: 'lb-a', firmwareVersion, schemaVersion: configVersion, shared: changed, certificates: [],
	});
	/** The secondary's refusal of a sync sent from the primary's loopback address with the identity in `identityFile`. */
	const refusalOf = async (identityFile: string, body: SyncRequest): Promise<PeerRefusal> => {
		const identity = await ensureIdentity(identityFile);
		const error = await t.throwsAsync(callPeer('sync', { address: secondary.peer, port: secondary.peerPort, certificate: null, localAddress: primary.peer }, identity, body), { instanceOf: PeerRefusal });
		return error as PeerRefusal;
	};
	const stranger = path.join(scratch, 'stranger.pem');
	await makeIdentity(stranger);
	const changed = { ...shared, casServers: ['10.77.0.99'] };
	const unknown = await refusalOf(stranger, message(1000, '9.9.9', changed));
	t.is(unknown.reason, 'wrong-identity');
	const primaryIdentity = primary.engine.paths.haIdentityFile;
	const firmware = await refusalOf(primaryIdentity, message(1000, '0.0.1', changed));
	t.is(firmware.reason, 'version-mismatch');
	t.regex(firmware.message, /the peer runs exlb 0\.0\.1 .* this node exlb 9\.9\.9/);
	const stale = await refusalOf(primaryIdentity, message(1, '9.9.9', changed));
	t.is(stale.reason, 'stale-revision');
	const afterConfig = await saved(secondary);
	t.deepEqual(sharedPart(afterConfig), sharedPart(beforeConfig));
	t.is(sharedHash(afterConfig), before, 'the secondary\'s configuration is unchanged');
	t.is((await call(secondary, 'GET', '/api/v1/config/history')).revisions.length, beforeRevisions, 'no revision was made');
	const audit = (await call(secondary, 'GET', '/api/v1/audit?limit=20')).entries;
	const refusals = audit.filter((entry: any) => entry.operation === 'ha.peer.sync' && entry.outcome === 'refused').map((entry: any) => entry.message);
	t.true(refusals.some((text: string) => /not with the node presenting/.test(text)));
	t.true(refusals.some((text: string) => /exlb 0\.0\.1/.test(text)));
	t.true(refusals.some((text: string) => /not newer than revision/.test(text)));
	t.regex(secondary.engine.output(), /ha: refused sync from 127\.0\.0\.2 /);
	await waitFor('the pair in sync still (the heartbeat tells the primary\'s real hash)', 10_000, async () => (await status(secondary)).sync.state === 'in-sync', 100);
});

test.serial('a shared configuration the secondary refuses (a VIP outside its subnet): failed on the primary with the reason, nothing half-applied', async (t) => {
	const before = await saved(secondary);
	await patchConfig(primary.api, { ha: { vip: '10.77.0.200' } });
	await save(primary);
	const failed = await waitFor('the primary to say failed', 60_000, async () => {
		const sync = (await status(primary)).sync;
		return sync.state === 'failed' ? sync : false;
	}, 250);
	t.regex(failed.reason, /ha\.vip: 10\.77\.0\.200 is outside the subnet of 10\.77\.0\.9\/25/);
	const other = (await status(secondary)).sync;
	t.is(other.state, 'failed', 'the secondary says so too');
	t.regex(other.reason, /outside the subnet/);
	t.deepEqual(await saved(secondary), before, 'the secondary\'s saved configuration is untouched');
	t.is((await running(secondary)).ha.vip, '10.77.0.50', 'and so is its running one');
	await patchConfig(primary.api, { ha: { vip: '10.77.0.50' } });
	await save(primary);
	await waitFor('in sync again once the VIP fits both', 60_000, inSync, 250);
});

test.serial('two nodes both master: refused on the node where it is typed', async (t) => {
	const refused = await secondary.api.request('PATCH', '/api/v1/config', { json: { ha: { role: 'master' } }, headers: { 'content-type': 'application/merge-patch+json' } });
	t.is(refused.status, 422);
	t.like(refused.body.error.errors[0], { path: 'ha.role' });
	t.regex(refused.body.error.errors[0].message, /both set to ha\.role master: set one of them to backup/);
	t.is((await running(secondary)).ha.role, 'backup', 'nothing changed');
});

test.serial('unpair from the secondary: both forget the pairing', async (t) => {
	const answer = await call(secondary, 'POST', '/api/v1/ha/unpair');
	t.true(answer.peerNotified);
	t.is((await status(secondary)).pairing, null);
	await waitFor('the primary unpaired too', 10_000, async () => (await status(primary)).pairing === null, 200);
});
