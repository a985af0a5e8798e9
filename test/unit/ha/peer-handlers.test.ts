// What a node does when called on its peer channel, with a fake appliance: every refusal (not paired, another
// certificate, another firmware, an older revision, the wrong role, a wrong code) is logged and audited and changes
// nothing; a sync is applied only when it brings something new, through the appliance service, and acknowledged.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApplianceService } from '../../../services/appliance/service.js';
import { configVersion, defaultConfig, type Config } from '../../../services/config/schema.js';
import { sharedHash, sharedPart } from '../../../services/config/shared.js';
import { saveConfig, writeRunningConfig } from '../../../services/config/store.js';
import type { Actor } from '../../../services/engine/protocol.js';
import { peerHandlers, type PeerHandlerContext } from '../../../services/ha/peer-handlers.js';
import { pairingProof, PairingOffers, proofMatches } from '../../../services/ha/pairing-code.js';
import { emptySyncState, PairingStore, type Pairing } from '../../../services/ha/pairing-store.js';
import { PeerRefusal, type SyncRequest } from '../../../services/ha/peer-protocol.js';
import type { PeerCaller } from '../../../services/ha/peer-server.js';
import { appliancePaths } from '../../../services/paths.js';

const fingerprint = (byte: string) => `${byte}:`.repeat(31) + byte;
const primary: PeerCaller = { fingerprint: fingerprint('AA'), certificatePem: 'primary certificate', address: '10.0.0.10' };
const stranger: PeerCaller = { fingerprint: fingerprint('EE'), certificatePem: 'stranger certificate', address: '10.0.0.66' };
const own = { keyPem: '', certificatePem: '', fingerprint: fingerprint('BB') };

function local(role: 'master' | 'backup' = 'backup'): Config {
	const config = defaultConfig();
	config.network = { ...config.network, source: 'static', hostname: 'lb-b', address: '10.0.0.9', netmask: '255.255.255.0' };
	config.ha = { ...config.ha, role, vip: '10.0.0.50' };
	config.casServers = ['10.0.0.21', '10.0.0.22'];
	return config;
}

async function setup(t: import('ava').ExecutionContext, options: { paired?: 'primary' | 'secondary' | null; role?: 'master' | 'backup' } = {}) {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-peer-handlers-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	const paths = appliancePaths(dir);
	await saveConfig(local(options.role), paths);
	await writeRunningConfig(local(options.role), paths);
	const store = new PairingStore(paths.haPairingFile);
	const paired = options.paired === undefined ? 'secondary' : options.paired;
	if (paired !== null) {
		await store.write({
			peer: { address: primary.address, port: 4445, hostname: 'lb-a', fingerprint: primary.fingerprint, certificate: primary.certificatePem },
			configRole: paired, pairedAt: '2026-12-03T00:00:00.000Z', syncOnSave: true, sync: { ...emptySyncState, appliedRevision: 5, appliedHash: sharedHash(local()) },
		});
	}
	const applied: Config[] = [];
	const audit: { actor: Actor; operation: string; outcome: string; message?: string }[] = [];
	const logs: string[] = [];
	const states: string[] = [];
	let drainsSending = false;
	const appliance = {
		applySync: async (plan: (running: Config) => Promise<{ config: Config }>) => {
			const { config } = await plan(local());
			applied.push(config);
			await saveConfig(config, paths);
			return { config, revision: { id: 9 }, warnings: [] };
		},
	} as unknown as ApplianceService;
	const offers = new PairingOffers();
	const context: PeerHandlerContext = {
		paths, store, offers, appliance, firmwareVersion: '1.0',
		identity: async () => own,
		localState: async (pairing: Pairing) => ({ hostname: 'lb-b', haRole: 'backup', configRole: pairing.configRole, firmwareVersion: '1.0', schemaVersion: configVersion, sharedHash: sharedHash(local()), revision: 5, vrrpState: 'BACKUP', vipHeld: false }),
		audit: async (actor, operation, outcome, message) => { audit.push({ actor, operation, outcome, ...(message === undefined ? {} : { message }) }); },
		log: (line) => logs.push(line),
		paired: () => {}, unpaired: () => {}, requestSend: () => {},
		setServerState: async (address, state, actor) => { states.push(`${address} ${state} by ${actor.user} via ${actor.via}`); },
		drainsSending: () => drainsSending,
		received: () => {},
	};
	return { handlers: peerHandlers(context), store, applied, audit, logs, states, offers, paths, setDrainsSending: (value: boolean) => { drainsSending = value; } };
}

function syncOf(revision: number, edit: (config: Config) => void = () => {}, more: Partial<SyncRequest> = {}): SyncRequest {
	const config = local();
	edit(config);
	const shared = sharedPart(config);
	return { revision, hash: sharedHash(shared), hostname: 'lb-a', firmwareVersion: '1.0', schemaVersion: configVersion, shared, certificates: [], ...more };
}

async function refusal(t: import('ava').ExecutionContext, promise: Promise<unknown>): Promise<PeerRefusal> {
	return (await t.throwsAsync(promise, { instanceOf: PeerRefusal }))!;
}

test('a node that is not paired refuses everything but pairing, logged and audited', async (t) => {
	const { handlers, audit, logs, applied } = await setup(t, { paired: null });
	for (const call of [handlers.state(undefined, primary), handlers.sync(syncOf(6), primary), handlers.unpair({}, primary), handlers.serverState({ address: '10.0.0.21', state: 'drain', hostname: 'lb-a' }, primary)]) {
		t.is((await refusal(t, call)).reason, 'not-paired');
	}
	t.is(applied.length, 0);
	t.is(audit.filter((entry) => entry.outcome === 'refused').length, 4);
	t.like(audit[0], { operation: 'ha.peer.state', actor: { address: '10.0.0.10', via: 'peer' } });
	t.regex(logs[0]!, /ha: refused state from 10\.0\.0\.10 \(certificate AA:/);
});

test('a paired node refuses any certificate but its peer\'s', async (t) => {
	const { handlers, applied, audit, store } = await setup(t);
	const before = await store.read();
	const refused = await refusal(t, handlers.sync(syncOf(6, (config) => { config.casServers = ['10.0.0.99']; }), stranger));
	t.is(refused.reason, 'wrong-identity');
	t.regex(refused.message, /paired with lb-a .* not with the node presenting EE:EE/);
	t.is((await refusal(t, handlers.unpair({}, stranger))).reason, 'wrong-identity', 'nor can it unpair the pair');
	t.deepEqual(await store.read(), before, 'still paired, nothing recorded');
	t.is(applied.length, 0);
	t.true(audit.every((entry) => entry.outcome === 'refused' && entry.actor.address === '10.0.0.66'));
});

test('sync: another firmware or configuration format is refused with both versions named', async (t) => {
	const { handlers, applied } = await setup(t);
	const firmware = await refusal(t, handlers.sync(syncOf(6, (config) => { config.casServers = ['10.0.0.99']; }, { firmwareVersion: '2.0' }), primary));
	t.is(firmware.reason, 'version-mismatch');
	t.is(firmware.message, 'the peer runs exlb 2.0 (configuration format 2) and this node exlb 1.0 (format 2): the configuration is not synced until both run the same firmware');
	t.is((await refusal(t, handlers.sync(syncOf(6, () => {}, { schemaVersion: configVersion + 1 }), primary))).reason, 'version-mismatch');
	t.is(applied.length, 0);
});

test('sync: revisions stop replays and late messages; the same content is acknowledged without an apply', async (t) => {
	const { handlers, applied, store } = await setup(t);
	const older = await refusal(t, handlers.sync(syncOf(4, (config) => { config.casServers = ['10.0.0.99']; }), primary));
	t.is(older.reason, 'stale-revision');
	t.is(older.message, 'revision 4 is not newer than revision 5 applied here: a late or repeated message, not applied');
	t.is((await refusal(t, handlers.sync(syncOf(5, (config) => { config.casServers = ['10.0.0.99']; }), primary))).reason, 'stale-revision', 'the same revision with other content');
	t.deepEqual(await handlers.sync(syncOf(5), primary), { outcome: 'already', revision: 5, hash: sharedHash(local()) }, 'the same revision again: acknowledged');
	t.deepEqual(await handlers.sync(syncOf(6), primary), { outcome: 'already', revision: 6, hash: sharedHash(local()) }, 'a newer revision with what this node has: acknowledged');
	t.is(applied.length, 0, 'nothing applied: nothing new');
	t.is((await store.read())!.sync.appliedRevision, 6);
	t.is((await refusal(t, handlers.sync({ ...syncOf(7), hash: '0'.repeat(64) }, primary))).reason, 'malformed', 'a hash that does not match its content');
});

test('sync: something new is applied through the appliance service with this node\'s own network and role, and acknowledged with its hash', async (t) => {
	const { handlers, applied, store } = await setup(t);
	const request = syncOf(7, (config) => { config.casServers = ['10.0.0.31']; config.http.mode = 'ssl-offload'; });
	const answer = await handlers.sync(request, primary);
	t.deepEqual(answer, { outcome: 'applied', revision: 7, hash: request.hash });
	t.deepEqual(applied[0]!.casServers, ['10.0.0.31']);
	t.is(applied[0]!.network.hostname, 'lb-b');
	t.is(applied[0]!.ha.role, 'backup');
	t.like((await store.read())!.sync, { appliedRevision: 7, appliedHash: request.hash });
});

test('sync: refused while a drain set here is on its way to the primary (busy: the primary tries again)', async (t) => {
	const { handlers, applied, setDrainsSending } = await setup(t);
	setDrainsSending(true);
	const busy = await refusal(t, handlers.sync(syncOf(7, (config) => { config.serverStates = {}; config.casServers = ['10.0.0.31']; }), primary));
	t.is(busy.reason, 'busy');
	t.is(applied.length, 0);
});

test('sync: only the config secondary takes one', async (t) => {
	const { handlers, applied } = await setup(t, { paired: 'primary' });
	const refused = await refusal(t, handlers.sync(syncOf(7, (config) => { config.casServers = ['10.0.0.31']; }), primary));
	t.is(refused.reason, 'not-secondary');
	t.is(applied.length, 0);
});

test('pair: a wrong code, no offer, two masters, a node already paired: refused; the right code pins the caller', async (t) => {
	const { handlers, store, offers } = await setup(t, { paired: null, role: 'master' });
	const request = (code: string, haRole: 'master' | 'backup' = 'backup') => ({ proof: pairingProof(code, 'request', primary.fingerprint, own.fingerprint), hostname: 'lb-a', port: 4445, haRole, firmwareVersion: '1.0', schemaVersion: configVersion });
	t.is((await refusal(t, handlers.pair(request('0000-0000-0000'), primary))).reason, 'no-offer');
	const { code } = offers.create();
	t.is((await refusal(t, handlers.pair(request('0000-0000-0000'), primary))).reason, 'wrong-code');
	const twoMasters = await refusal(t, handlers.pair(request(code, 'master'), primary));
	t.is(twoMasters.reason, 'same-role');
	t.is(twoMasters.message, 'this node and its peer lb-a (10.0.0.10) are both set to ha.role master: set one of them to backup, then pair again with a new code');
	t.is(await store.read(), null, 'nothing paired');
	const again = offers.create();
	const answer = await handlers.pair(request(again.code), primary);
	t.true(proofMatches(pairingProof(again.code, 'response', primary.fingerprint, own.fingerprint), answer.proof), 'the answer proves this node knew the code');
	t.like(await store.read(), { configRole: 'secondary', peer: { address: '10.0.0.10', hostname: 'lb-a', fingerprint: primary.fingerprint, certificate: 'primary certificate' } });
	offers.create();
	t.is((await refusal(t, handlers.pair(request(again.code), stranger))).reason, 'already-paired');
});

test('server states from the peer: set here as the peer (unless already so); an address this node does not have is refused', async (t) => {
	const { handlers, states } = await setup(t);
	t.deepEqual(await handlers.serverState({ address: '10.0.0.21', state: 'drain', hostname: 'lb-a' }, primary), {});
	t.deepEqual(states, ['10.0.0.21 drain by peer:lb-a via peer']);
	t.deepEqual(await handlers.serverState({ address: '10.0.0.22', state: 'ready', hostname: 'lb-a' }, primary), {});
	t.is(states.length, 1, 'already ready: nothing to do');
	t.is((await refusal(t, handlers.serverState({ address: '10.0.0.77', state: 'maint', hostname: 'lb-a' }, primary))).reason, 'unknown-server');
});

test('the pinned peer calling from a new address is called back there', async (t) => {
	const { handlers, store, logs } = await setup(t);
	await handlers.state(undefined, { ...primary, address: '10.0.0.11' });
	t.is((await store.read())!.peer.address, '10.0.0.11');
	t.regex(logs.at(-1)!, /lb-a now calls from 10\.0\.0\.11 \(was 10\.0\.0\.10\)/);
});
