// The JSON-file boot state: the shipped state when absent, the install's and the health check's marks, refusals.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { JsonFileBootState } from '../../../services/firmware/boot-state-file.js';
import { shippedBootState } from '../../../services/firmware/boot-state.js';
import { SlotError } from '../../../services/firmware/bundle-errors.js';
import { tempDir } from '../../helpers/firmware-bundles.js';

test('absent, it is the shipped state; markNextBoot then markGood', async (t) => {
	const state = new JsonFileBootState(path.join(await tempDir(t), 'boot-state.json'));
	t.deepEqual(await state.read(), shippedBootState);
	await state.markNextBoot('B', 3);
	t.deepEqual(await state.read(), { primary: 'B', slots: { A: { status: 'good' }, B: { status: 'trying', triesLeft: 3 } } });
	await state.markGood('B');
	t.deepEqual(JSON.parse(await readFile(state.file, 'utf8')), { primary: 'B', slots: { A: { status: 'good' }, B: { status: 'good' } } });
	await state.markBad('A');
	t.deepEqual(await state.read(), { primary: 'B', slots: { A: { status: 'bad' }, B: { status: 'good' } } });
});

test('tries outside 1..9 are refused and nothing is written', async (t) => {
	const state = new JsonFileBootState(path.join(await tempDir(t), 'boot-state.json'));
	for (const tries of [0, 10, 1.5]) {
		const error = await t.throwsAsync(state.markNextBoot('B', tries), { instanceOf: SlotError });
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
