// The boot assessment's steps over a boot state: the rollback recorded, the health checks with their deadline, a
// slot on trial marked good or rebooted, a good slot never rebooted.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { StopWaiting } from '../../../services/apply/wait.js';
import { JsonFileBootState } from '../../../services/firmware/boot-state-file.js';
import type { BootStateSnapshot } from '../../../services/firmware/boot-state.js';
import { afterFailedBootCheck, BootCheckError, markBootGood, recordRollbackIfAny, runHealthChecks } from '../../../services/firmware/boot-check.js';
import { slotFromCommandLine } from '../../../services/firmware/booted-slot.js';
import { tempDir } from '../../helpers/firmware-bundles.js';

/** B installed and on trial, its tries counted down to `triesLeft` by the boot loader. */
async function onTrial(t: Parameters<typeof tempDir>[0], triesLeft: number) {
	const file = path.join(await tempDir(t), 'boot-state.json');
	const snapshot: BootStateSnapshot = { primary: 'B', slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'trying', triesLeft, version: '1.1.0' } } };
	await writeFile(file, JSON.stringify(snapshot));
	return new JsonFileBootState(file, '1.0.0');
}

test('the slot named on the kernel command line; none named is slot A', (t) => {
	t.is(slotFromCommandLine('console=ttyS0 exlb.slot=B quiet\n'), 'B');
	t.is(slotFromCommandLine('exlb.slot=A'), 'A');
	t.is(slotFromCommandLine('root=PARTUUID=x ro quiet'), 'A');
	t.is(slotFromCommandLine('xexlb.slot=B'), 'A');
});

test('back on A while B on trial has no tries left: the rollback is recorded, B is bad', async (t) => {
	const state = await onTrial(t, 0);
	t.deepEqual(await recordRollbackIfAny(state, 'A'), { slot: 'B', version: '1.1.0' });
	t.deepEqual(await state.read(), {
		primary: 'A',
		slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'bad', version: '1.1.0' } },
		rolledBackFrom: { slot: 'B', version: '1.1.0' },
	});
	t.is(await recordRollbackIfAny(state, 'A'), undefined, 'recorded once');
});

test('no rollback while the trial slot itself runs, or still has tries', async (t) => {
	t.is(await recordRollbackIfAny(await onTrial(t, 1), 'B'), undefined);
	const state = await onTrial(t, 2);
	t.is(await recordRollbackIfAny(state, 'A'), undefined);
	t.is((await state.read()).primary, 'B');
});

test('health checks: each retried until it passes; one that never passes fails naming itself and its reason', async (t) => {
	let calls = 0;
	const lines: string[] = [];
	await runHealthChecks([{ name: 'slow', probe: async () => (++calls < 3 ? 'not yet' : undefined) }], 5000, (line) => lines.push(line), 1);
	t.is(calls, 3);
	t.deepEqual(lines, ['boot check: slow: ok']);
	const error = await t.throwsAsync(runHealthChecks([{ name: 'web interface answering', probe: async () => 'connect ECONNREFUSED' }], 50, () => {}, 5), { instanceOf: BootCheckError });
	t.is(error!.check, 'web interface answering');
	t.is(error!.reason, 'connect ECONNREFUSED');
	const stopped = await t.throwsAsync(runHealthChecks([{ name: 'test build switch', probe: async () => { throw new StopWaiting('marker exists'); } }], 60_000, () => {}, 5), { instanceOf: BootCheckError });
	t.is(stopped!.reason, 'marker exists', 'a check that cannot change fails at once');
});

test('passed: a slot on trial becomes good, a good one stays as it is', async (t) => {
	const state = await onTrial(t, 2);
	t.true(await markBootGood(state, 'B'));
	t.deepEqual((await state.read()).slots.B, { status: 'good', version: '1.1.0' });
	t.false(await markBootGood(state, 'B'));
});

test('failed: a slot on trial reboots, a good slot keeps running', async (t) => {
	const state = await onTrial(t, 2);
	let reboots = 0;
	t.is(await afterFailedBootCheck(state, 'B', async () => void reboots++), 'rebooting');
	t.is(await afterFailedBootCheck(state, 'A', async () => void reboots++), 'kept running');
	t.is(reboots, 1);
});
