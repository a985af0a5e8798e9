// exlb ha: its usage, the engine it asks, and how it prints the pair's status.
import test from 'ava';
import { formatHaStatus } from '../../../services/cli/commands/ha.js';
import type { HaStatus } from '../../../services/engine/ha-operations.js';
import { exlb, makeExlbRoot } from '../../helpers/exlb-cli.js';

const fingerprint = 'AB:'.repeat(31) + 'AB';

test('usage errors (exit 2), and a clear word when the engine is not running (exit 3)', async (t) => {
	const dir = await makeExlbRoot();
	t.is((await exlb(dir, ['ha'])).exitCode, 2);
	t.is((await exlb(dir, ['ha', 'pair', '10.0.0.9'])).exitCode, 2, 'pair needs the code');
	t.is((await exlb(dir, ['ha', 'sync-on-save', 'maybe'])).exitCode, 2);
	const port = await exlb(dir, ['ha', 'pair', '10.0.0.9', 'ABCD-EFGH-JKMN', '--port', '70000']);
	t.is(port.exitCode, 2);
	t.regex(port.stderr, /--port "70000" is not a port/);
	t.is((await exlb(dir, ['ha', 'status', '--port', '4445'])).exitCode, 2, '--port goes with pair only');
	const down = await exlb(dir, ['ha', 'status']);
	t.is(down.exitCode, 3);
	t.regex(down.stderr, /the engine is not running \(exlb-engine\.service\)/);
});

test('the status as lines: identity, pairing, peer, sync and problems', (t) => {
	const unpaired: HaStatus = { identity: { fingerprint }, peerPort: 4445, offer: null, pairing: null, peer: null, sync: null, drains: [], problems: [] };
	t.deepEqual(formatHaStatus(unpaired), [`identity: ${fingerprint}`, 'peer channel: port 4445', 'not paired']);
	const paired: HaStatus = {
		...unpaired,
		pairing: { peer: { address: '10.0.0.9', port: 4445, hostname: 'lb-b', fingerprint }, configRole: 'primary', pairedAt: '2026-12-03T00:00:00.000Z', syncOnSave: false },
		peer: { reachable: false, lastContact: '2026-12-03T00:01:00.000Z', error: 'cannot reach the peer', hostname: 'lb-b', haRole: 'backup', firmwareVersion: '1.0', schemaVersion: 2, vrrpState: 'BACKUP', vipHeld: false },
		sync: { state: 'pending', reason: 'sync on save is off', localHash: '1'.repeat(64), peerHash: '2'.repeat(64), revision: 3, lastAttempt: null, lastSuccess: null },
		drains: [{ address: '10.0.0.21', state: 'drain', status: 'pending', reason: 'away' }],
		problems: ['both nodes hold the VIP'],
	};
	t.deepEqual(formatHaStatus(paired).slice(2), [
		`paired with lb-b (10.0.0.9:4445), certificate ${fingerprint}`,
		'this node is the config primary; sync on save off',
		'peer: not reachable (cannot reach the peer), last contact 2026-12-03T00:01:00.000Z; exlb 1.0, ha.role backup, VRRP BACKUP',
		'sync: pending (sync on save is off), revision 3',
		'server state not yet on the peer: 10.0.0.21 drain: pending (away)',
		'problem: both nodes hold the VIP',
	]);
});
