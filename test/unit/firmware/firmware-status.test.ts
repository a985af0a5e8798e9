// The status view of the slots: the next boot is the primary while it is good or has tries left, else the other slot.
import test from 'ava';
import type { BootStateSnapshot } from '../../../services/firmware/boot-state.js';
import { firmwareSlotsView, nextBootSlot } from '../../../services/firmware/firmware-status.js';

const snapshot = (primary: 'A' | 'B', B: BootStateSnapshot['slots']['B']): BootStateSnapshot => ({ primary, slots: { A: { status: 'good', version: '1.0.0' }, B } });

test('the next boot: a good or trying primary with tries left; after the tries ran out, or a bad primary, the other slot', (t) => {
	t.is(nextBootSlot(snapshot('A', { status: 'bad' })), 'A');
	t.is(nextBootSlot(snapshot('B', { status: 'trying', triesLeft: 2, version: '1.1.0' })), 'B');
	t.is(nextBootSlot(snapshot('B', { status: 'trying', triesLeft: 0, version: '1.1.0' })), 'A');
	t.is(nextBootSlot(snapshot('B', { status: 'bad', version: '1.1.0' })), 'A');
	t.is(nextBootSlot(snapshot('B', { status: 'good', version: '1.1.0' })), 'B');
});

test('each slot with its version, state, tries left, and which one runs and boots next; the rollback kept', (t) => {
	const view = firmwareSlotsView({ ...snapshot('B', { status: 'trying', triesLeft: 3, version: '1.1.0' }), rolledBackFrom: { slot: 'B', version: '1.0.5' } }, 'A');
	t.deepEqual(view, {
		booted: 'A',
		next: 'B',
		slots: [
			{ slot: 'A', status: 'good', version: '1.0.0', booted: true, next: false },
			{ slot: 'B', status: 'trying', triesLeft: 3, version: '1.1.0', booted: false, next: true },
		],
		rolledBackFrom: { slot: 'B', version: '1.0.5' },
	});
});
