// The pair's status from what a node knows: in sync only with equal hashes, pending while something is on its way
// or waited for, failed with the peer's reason, and the pair's problems named.
import test from 'ava';
import { haStatusOf, type StatusFacts } from '../../../services/ha/ha-status.js';
import { emptySyncState, type Pairing } from '../../../services/ha/pairing-store.js';
import type { PeerState } from '../../../services/ha/peer-protocol.js';
import type { SenderStatus } from '../../../services/ha/sync-sender.js';

const [local, other] = ['1'.repeat(64), '2'.repeat(64)];
const idle: SenderStatus = { state: 'idle', reason: null, acknowledged: null, lastAttempt: null, lastSuccess: null, attempts: 0 };
const pairing = (configRole: 'primary' | 'secondary', syncOnSave = true): Pairing => ({
	peer: { address: '10.0.0.9', port: 4445, hostname: 'lb-b', fingerprint: 'AB:'.repeat(31) + 'AB', certificate: '' },
	configRole, pairedAt: '2026-12-03T00:00:00.000Z', syncOnSave, sync: { ...emptySyncState, revision: 4, appliedRevision: 3 },
});
const peer = (more: Partial<PeerState> = {}): StatusFacts['peer'] => ({
	reachable: true, lastContact: '2026-12-03T00:00:01.000Z', error: null,
	state: { hostname: 'lb-b', haRole: 'backup', configRole: 'secondary', firmwareVersion: '1.0', schemaVersion: 2, sharedHash: local, revision: 4, vrrpState: 'BACKUP', vipHeld: false, ...more },
});
const facts = (more: Partial<StatusFacts>): StatusFacts => ({
	fingerprint: 'CD:'.repeat(31) + 'CD', peerPort: 4445, offerExpiresAt: null, pairing: pairing('primary'), peer: peer(), sender: idle, incoming: null,
	localHash: local, ha: { role: 'master', vip: '10.0.0.50' }, vipHeld: true, firmwareVersion: '1.0', schemaVersion: 2, drains: [], ...more,
});
const sync = (more: Partial<StatusFacts>) => haStatusOf(facts(more)).sync!;

test('not paired: no peer, no sync, no problems', (t) => {
	const status = haStatusOf(facts({ pairing: null, offerExpiresAt: Date.parse('2026-12-03T00:10:00Z') }));
	t.like(status, { pairing: null, peer: null, sync: null, problems: [], offer: { expiresAt: '2026-12-03T00:10:00.000Z' } });
});

test('the primary: in sync with equal hashes; pending while sending or retrying; failed with the peer\'s reason', (t) => {
	t.like(sync({}), { state: 'in-sync', reason: null, revision: 4 });
	t.like(sync({ sender: { ...idle, state: 'sending' } }), { state: 'pending', reason: 'sending revision 4' }, 'even with equal hashes: the send may carry an older view');
	t.like(sync({ peer: peer({ sharedHash: other }), sender: { ...idle, state: 'retrying', reason: 'the peer at 10.0.0.9:4445 did not answer' } }), { state: 'pending', reason: 'not taken yet, trying again: the peer at 10.0.0.9:4445 did not answer' });
	t.like(sync({ peer: peer({ sharedHash: other }), sender: { ...idle, state: 'failed', reason: 'ha.vip: 10.0.0.200 is outside the subnet' } }), { state: 'failed', reason: 'ha.vip: 10.0.0.200 is outside the subnet' });
	t.like(sync({ peer: peer({ sharedHash: other }) }), { state: 'pending', reason: 'the peer has another configuration: sending this one' });
	t.like(sync({ peer: peer({ sharedHash: other }), pairing: pairing('primary', false) }), { state: 'pending', reason: 'sync on save is off: "sync now" sends this node\'s configuration' });
	t.like(sync({ peer: { reachable: false, lastContact: null, error: 'cannot reach the peer', state: null } }), { state: 'unknown', reason: 'cannot reach the peer' });
	t.like(sync({ peer: null, sender: { ...idle, state: 'sent', acknowledged: local } }), { state: 'in-sync' }, 'acknowledged before any heartbeat');
});

test('the secondary: in sync with the primary\'s hash; failed when it refused the primary\'s; else waiting', (t) => {
	const secondary = { pairing: pairing('secondary'), peer: peer({ configRole: 'primary', haRole: 'master', sharedHash: other }), ha: { role: 'backup' as const, vip: '10.0.0.50' }, vipHeld: false };
	t.like(sync({ ...secondary, incoming: { at: '2026-12-03T00:00:02.000Z', outcome: 'refused', reason: 'the primary runs exlb 2.0' } }), { state: 'failed', reason: 'the primary runs exlb 2.0', revision: 3 });
	t.like(sync(secondary), { state: 'pending', reason: 'waiting for the primary to send its configuration' });
	t.like(sync({ ...secondary, peer: peer({ configRole: 'primary', haRole: 'master' }) }), { state: 'in-sync' });
});

test('the pair\'s problems: both master, another firmware, both config primary, both holding the VIP', (t) => {
	t.deepEqual(haStatusOf(facts({})).problems, []);
	const problems = haStatusOf(facts({ peer: peer({ haRole: 'master', firmwareVersion: '1.1', configRole: 'primary', vipHeld: true }) })).problems;
	t.deepEqual(problems, [
		'this node and its peer lb-b (10.0.0.9) are both set to ha.role master: set one of them to backup',
		'the peer runs exlb 1.1 (configuration format 2) and this node exlb 1.0 (format 2): the configuration is not synced until both run the same firmware',
		'both nodes are config primary of the pair: unpair both and pair again',
		'both nodes hold the VIP 10.0.0.50 (split brain: they do not hear each other\'s VRRP advertisements)',
	]);
});
