// The primary's sending and the drain forwarding, with a fake peer: asks folded together, a peer that is away tried
// again, a refusal not tried again, sends held while a peer's drain is put in force.
import test from 'ava';
import { waitFor } from '../../../services/apply/wait.js';
import { SyncSender } from '../../../services/ha/sync-sender.js';
import { DrainForwarder } from '../../../services/ha/drain-forwarder.js';
import { PeerUnreachableError } from '../../../services/ha/peer-client.js';
import { PeerRefusal } from '../../../services/ha/peer-protocol.js';

const delaysMs = [10, 20];

/** A send that waits until released, so a test sees what happens while it runs. */
function gate() {
	let release: () => void = () => {};
	const opened = new Promise<void>((resolve) => { release = resolve; });
	return { opened, release };
}

test('asks while a send runs are folded into one more send after it', async (t) => {
	let sends = 0;
	const first = gate();
	const sender = new SyncSender({ delaysMs, send: async () => {
		sends++;
		if (sends === 1) await first.opened;
		return 'h'.repeat(64);
	} });
	sender.request();
	t.is(sender.status().state, 'sending');
	sender.request();
	sender.request();
	first.release();
	await waitFor('two sends, idle', 5000, async () => { await sender.settled(); return sends === 2 && sender.status().state === 'sent'; }, 5);
	t.is(sends, 2);
	t.is(sender.status().acknowledged, 'h'.repeat(64));
});

test('a peer that is away is tried again until it answers; a peer that refuses is not', async (t) => {
	let sends = 0;
	const sender = new SyncSender({ delaysMs, send: async () => {
		sends++;
		if (sends < 3) throw new PeerUnreachableError('the peer at 10.0.0.9:4445 did not answer');
		return 'a'.repeat(64);
	} });
	sender.request();
	await waitFor('retrying', 5000, () => sender.status().state === 'retrying', 1);
	t.regex(sender.status().reason!, /did not answer/);
	await waitFor('sent after two retries', 5000, () => sender.status().state === 'sent', 5);
	t.is(sends, 3);

	let refused = 0;
	const stubborn = new SyncSender({ delaysMs, send: async () => {
		refused++;
		throw new PeerRefusal('version-mismatch', 'the peer runs exlb 1.0');
	} });
	stubborn.request();
	await waitFor('failed', 5000, () => stubborn.status().state === 'failed', 1);
	await stubborn.settled();
	t.is(stubborn.status().reason, 'the peer runs exlb 1.0');
	t.is(refused, 1, 'not tried again on its own');
	stubborn.request();
	await waitFor('failed again', 5000, async () => { await stubborn.settled(); return refused === 2; }, 1);
	t.is(stubborn.status().state, 'failed');
});

test('hold: no send starts while held; one asked meanwhile starts after', async (t) => {
	const order: string[] = [];
	const sender = new SyncSender({ delaysMs, send: async () => {
		order.push('send');
		return 'c'.repeat(64);
	} });
	const inside = gate();
	const held = sender.hold(async () => {
		order.push('hold start');
		await inside.opened;
		order.push('hold end');
	});
	await waitFor('the hold running', 1000, () => order.includes('hold start'), 1);
	sender.request();
	t.deepEqual(order, ['hold start'], 'the asked send waits for the hold');
	inside.release();
	await held;
	await waitFor('the send after the hold', 1000, async () => { await sender.settled(); return order.length === 3; }, 1);
	t.deepEqual(order, ['hold start', 'hold end', 'send']);
});

test('drain forwards: the latest state per server, retried while the peer is away, a refusal kept for the status', async (t) => {
	const sent: string[] = [];
	let away = true;
	const forwarder = new DrainForwarder({ delaysMs, send: async (address, state) => {
		if (address === '10.0.0.2') throw new PeerRefusal('unknown-server', '10.0.0.2 is not a CAS or HUB server of this node');
		if (away) throw new PeerUnreachableError('away');
		sent.push(`${address} ${state}`);
	} });
	forwarder.forward('10.0.0.1', 'drain');
	forwarder.forward('10.0.0.1', 'maint');
	forwarder.forward('10.0.0.2', 'drain');
	t.true(forwarder.sending());
	await waitFor('10.0.0.2 refused', 1000, () => forwarder.list().some((entry) => entry.status === 'failed'), 1);
	away = false;
	await waitFor('10.0.0.1 sent', 5000, () => !forwarder.sending(), 5);
	t.deepEqual(sent, ['10.0.0.1 maint'], 'only the latest state of 10.0.0.1');
	t.deepEqual(forwarder.list(), [{ address: '10.0.0.2', state: 'drain', status: 'failed', reason: '10.0.0.2 is not a CAS or HUB server of this node' }]);
	forwarder.reset();
	t.deepEqual(forwarder.list(), []);
});
