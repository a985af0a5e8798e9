// The JSON-file boot state: the shipped state when absent, the install's and the health check's marks, refusals.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { JsonFileBootState } from '../../../services/firmware/boot-state-file.js';
import { shippedBootState } from '../../../services/firmware/boot-state.js';
import { SlotError } from '../../../services/firmware/bundle-errors.js';
import { tempDir } from '../../helpers/firmware-bundles.js';

test('absent, it is the shipped state; markNextBoot then markGood', async (t) => {
	const state = new JsonFileBootState(path.join(await tempDir(t), 'boot-state.json'), '1.0.0');
	t.deepEqual(await state.read(), shippedBootState('1.0.0'));
	await state.markNextBoot('B', 3, '1.1.0');
	t.deepEqual(await state.read(), { primary: 'B', slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'trying', triesLeft: 3, version: '1.1.0' } } });
	await state.markGood('B');
	t.deepEqual(JSON.parse(await readFile(state.file, 'utf8')), { primary: 'B', slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'good', version: '1.1.0' } } });
	await state.markBad('A');
	t.deepEqual(await state.read(), { primary: 'B', slots: { A: { status: 'bad', version: '1.0.0' }, B: { status: 'good', version: '1.1.0' } } });
});

test('boot previous only to a good slot; a rollback marks the slot bad, records it, and the next install clears it', async (t) => {
	const state = new JsonFileBootState(path.join(await tempDir(t), 'boot-state.json'), '1.0.0');
	await state.markNextBoot('B', 2, '1.1.0');
	const refused = await t.throwsAsync(state.bootPrevious('B'), { instanceOf: SlotError });
	t.is(refused!.value, 'trying');
	await state.recordRollback('B');
	t.deepEqual(await state.read(), {
		primary: 'A',
		slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'bad', version: '1.1.0' } },
		rolledBackFrom: { slot: 'B', version: '1.1.0' },
	});
	await state.markNextBoot('B', 3, '1.1.1');
	t.is((await state.read()).rolledBackFrom, undefined);
	await state.markGood('B');
	await state.bootPrevious('A');
	t.is((await state.read()).primary, 'A');
});

test('tries outside 1..9 are refused and nothing is written', async (t) => {
	const state = new JsonFileBootState(path.join(await tempDir(t), 'boot-state.json'));
	for (const tries of [0, 10, 1.5]) {
		const error = await t.throwsAsync(state.markNextBoot('B', tries, '1.1.0'), { instanceOf: SlotError });
		t.is(error!.value, tries);
	}
	await t.throwsAsync(readFile(state.file));
});

test('a damaged file is an error naming it, not the shipped state', async (t) => {
	const file = path.join(await tempDir(t), 'boot-state.json');
	const state = new JsonFileBootState(file);
	for (const text of ['{', '{"primary":"C","slots":{}}']) {
		await writeFile(file, text);
		const error = await t.throwsAsync(state.read(), { instanceOf: SlotError });
		t.is(error!.value, file);
	}
});
