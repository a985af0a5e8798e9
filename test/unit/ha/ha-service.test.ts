// The HA service's sending with a real peer channel to a fake peer: a save on the config primary is sent (the revision
// raised only when the shared part changed), nothing is sent from the secondary (no loop: the direction is the
// pairing's), none with sync on save off.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../../services/appliance/audit-log.js';
import type { ApplianceService } from '../../../services/appliance/service.js';
import { waitFor } from '../../../services/apply/wait.js';
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { sharedHash } from '../../../services/config/shared.js';
import { saveConfig } from '../../../services/config/store.js';
import type { Actor } from '../../../services/engine/protocol.js';
import { HaService } from '../../../services/ha/ha-service.js';
import { makeIdentity } from '../../../services/ha/identity.js';
import { emptySyncState, PairingStore } from '../../../services/ha/pairing-store.js';
import { PeerRefusal, type SyncRequest } from '../../../services/ha/peer-protocol.js';
import { PeerServer } from '../../../services/ha/peer-server.js';
import { appliancePaths } from '../../../services/paths.js';
import type { RevisionMeta } from '../../../services/history/store.js';

const actor: Actor = { user: 'admin', address: '127.0.0.1', via: 'web' };
const revision = { id: 1 } as RevisionMeta;

async function setup(t: import('ava').ExecutionContext, configRole: 'primary' | 'secondary', syncOnSave = true) {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-ha-service-'));
	const paths = appliancePaths(dir);
	const received: SyncRequest[] = [];
	const peerIdentity = await makeIdentity(path.join(dir, 'peer.pem'));
	const refuse = async (): Promise<never> => {
		throw new PeerRefusal('failed', 'not in this test');
	};
	const peer = new PeerServer({
		pair: refuse, unpair: refuse, state: refuse, syncRequest: refuse, serverState: refuse,
		sync: async (body) => {
			received.push(body);
			return { outcome: 'applied', revision: body.revision, hash: body.hash };
		},
	}, { identity: peerIdentity, log: () => {} });
	const port = await peer.listen(0, '127.0.0.1');
	const logs: string[] = [];
	const ha = new HaService({
		paths, env: { certDir: paths.certDir }, appliance: {} as ApplianceService, audit: new AuditLog(paths.auditLog, () => {}), firmwareVersion: '1.0',
		log: (line) => logs.push(line), vrrp: async () => { throw new Error('not in this test'); }, setServerState: async () => {}, retryDelaysMs: [10],
	});
	await new PairingStore(paths.haPairingFile).write({
		peer: { address: '127.0.0.1', port, hostname: 'lb-b', fingerprint: peerIdentity.fingerprint, certificate: peerIdentity.certificatePem },
		configRole, pairedAt: '2026-12-03T00:00:00.000Z', syncOnSave, sync: emptySyncState,
	});
	t.teardown(async () => {
		await ha.stop();
		await peer.close();
		await rm(dir, { recursive: true, force: true });
	});
	const savedHook = async (config: Config) => {
		await saveConfig(config, paths);
		ha.hooks().saved!(config, revision, actor);
	};
	return { ha, received, logs, savedHook };
}

function config(casServers: string[]): Config {
	return { ...defaultConfig(), casServers };
}

test('the primary sends each save; the revision rises only when the shared part changed', async (t) => {
	const { received, savedHook } = await setup(t, 'primary');
	await savedHook(config(['10.0.0.1']));
	await waitFor('revision 1 received', 5000, () => received.length === 1, 5);
	t.like(received[0], { revision: 1, hash: sharedHash(config(['10.0.0.1'])), firmwareVersion: '1.0', hostname: 'exlb' });
	t.deepEqual(received[0]!.shared.casServers, ['10.0.0.1']);
	const sameShared = config(['10.0.0.1']);
	sameShared.network.hostname = 'renamed';
	await savedHook(sameShared);
	await waitFor('the second send', 5000, () => received.length === 2, 5);
	t.is(received[1]!.revision, 1, 'a node-local change keeps the revision');
	await savedHook(config(['10.0.0.2']));
	await waitFor('the third send', 5000, () => received.length === 3, 5);
	t.is(received[2]!.revision, 2);
});

test('the secondary never sends (the direction is the pairing\'s: no loop), nor does a primary with sync on save off', async (t) => {
	for (const [role, onSave] of [['secondary', true], ['primary', false]] as const) {
		const { ha, received, savedHook, logs } = await setup(t, role, onSave);
		await savedHook(config(['10.0.0.1']));
		await ha.settled();
		t.is(received.length, 0, `${role}, sync on save ${onSave}`);
		t.deepEqual(logs, []);
	}
});
