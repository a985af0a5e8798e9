// The boot state in two GRUB environment block copies: the layout GRUB reads, the alternating in-place writes,
// and every torn write (any byte prefix, either sector alone) leaving the old state or the new one, never a third.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { bootEnvCopyNames, decodeBootEnv, directoryEnvCopies, encodeBootEnv, GrubEnvBootState, type CopyIndex, type EnvCopies } from '../../../services/firmware/boot-env.js';
import { shippedBootState, type BootStateSnapshot } from '../../../services/firmware/boot-state.js';
import { grubEnvBytes, grubEnvSignature, parseGrubEnv } from '../../../services/firmware/grub-env.js';

const installed: BootStateSnapshot = { primary: 'B', slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'trying', triesLeft: 3, version: '1.1.0' } } };

/** Two copies in memory; `tear` makes the next write keep only some of the new bytes, then fail like a power cut. */
class MemoryCopies implements EnvCopies {
	blocks: [Buffer | undefined, Buffer | undefined] = [undefined, undefined];
	tear: ((old: Buffer, next: Buffer) => Buffer) | undefined;
	async read(index: CopyIndex) {
		return this.blocks[index] === undefined ? undefined : Buffer.from(this.blocks[index]!);
	}
	async write(index: CopyIndex, block: Buffer) {
		const tear = this.tear;
		if (tear === undefined) {
			this.blocks[index] = Buffer.from(block);
			return;
		}
		this.tear = undefined;
		this.blocks[index] = tear(this.blocks[index] ?? Buffer.alloc(grubEnvBytes), block);
		throw new Error('power cut');
	}
}

test('a block is what GRUB reads: signature, the variables, the sequence number three times, 1024 bytes', (t) => {
	const block = encodeBootEnv(installed, 7);
	t.is(block.length, grubEnvBytes);
	t.true(block.toString('latin1').startsWith(grubEnvSignature));
	const variables = parseGrubEnv(block)!;
	t.like(Object.fromEntries(variables), { EXLB_SEQ: '7', EXLB_MID: '7', EXLB_END: '7', EXLB_PRIMARY: 'B', EXLB_B_STATUS: 'trying', EXLB_B_TRIES: '3', EXLB_A_VERSION: '1.0.0' });
	t.true(block.subarray(0, 512).includes('EXLB_MID=7\n'), 'the middle copy ends sector 0');
	t.true(block.subarray(512).toString('latin1').startsWith('EXLB_END=7\n'), 'the last copy starts sector 1');
	t.deepEqual(decodeBootEnv(block), { sequence: 7, snapshot: installed });
});

test('a tries count changed in place, as GRUB save_env does, keeps the copy valid', (t) => {
	const block = Buffer.from(encodeBootEnv(installed, 3).toString('latin1').replace('EXLB_B_TRIES=3', 'EXLB_B_TRIES=2'), 'latin1');
	t.deepEqual(decodeBootEnv(block)?.snapshot.slots.B, { status: 'trying', triesLeft: 2, version: '1.1.0' });
});

test('zeroed, missing, foreign or inconsistent copies are not valid; with neither valid the state is the shipped one', async (t) => {
	t.is(decodeBootEnv(Buffer.alloc(grubEnvBytes)), undefined);
	t.is(decodeBootEnv(undefined), undefined);
	t.is(decodeBootEnv(Buffer.from(`${grubEnvSignature}saved_entry=0\n`.padEnd(grubEnvBytes, '#'))), undefined);
	t.is(decodeBootEnv(encodeBootEnv(installed, 3).subarray(0, 512)), undefined);
	const wrongStatus = Buffer.from(encodeBootEnv(installed, 3).toString('latin1').replace('EXLB_A_STATUS=good', 'EXLB_A_STATUS=okay'), 'latin1');
	t.is(decodeBootEnv(wrongStatus), undefined);
	const copies = new MemoryCopies();
	copies.blocks = [Buffer.alloc(grubEnvBytes), Buffer.alloc(grubEnvBytes)];
	t.deepEqual(await new GrubEnvBootState(copies, '1.0.0').read(), shippedBootState('1.0.0'));
});

test('each write goes to the other copy with the next sequence number; the copy in force is never touched', async (t) => {
	const copies = new MemoryCopies();
	const state = new GrubEnvBootState(copies, '1.0.0');
	await state.markNextBoot('B', 3, '1.1.0');
	t.deepEqual(await state.inspect(), { copies: [1, undefined], current: 0 });
	const first = Buffer.from(copies.blocks[0]!);
	await state.markGood('B');
	t.deepEqual(await state.inspect(), { copies: [1, 2], current: 1 });
	t.true(copies.blocks[0]!.equals(first), 'the copy in force was left as it was');
	await state.bootPrevious('A');
	t.deepEqual(await state.inspect(), { copies: [3, 2], current: 0 });
	t.deepEqual(await state.read(), { primary: 'A', slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'good', version: '1.1.0' } } });
});

/** Every way the next write can be torn: the first n bytes new (n = 0..1023), or sector 1 new with the first n bytes of sector 0. */
function* tears(): Generator<[string, (old: Buffer, next: Buffer) => Buffer]> {
	for (let n = 0; n < grubEnvBytes; n++) {
		yield [`first ${n} bytes`, (old, next) => Buffer.concat([next.subarray(0, n), old.subarray(n)])];
	}
	for (let n = 0; n < 512; n++) {
		yield [`sector 1 and the first ${n} bytes of sector 0`, (old, next) => Buffer.concat([next.subarray(0, n), old.subarray(n, 512), next.subarray(512)])];
	}
}

test('a torn write at any byte leaves the state before it or after it, and the next write still lands', async (t) => {
	const before: BootStateSnapshot = { ...installed, slots: { ...installed.slots, B: { status: 'good', version: '1.1.0' } } };
	const after: BootStateSnapshot = { ...before, primary: 'A' };
	let oldStates = 0;
	let newStates = 0;
	for (const [name, tear] of tears()) {
		const copies = new MemoryCopies();
		const state = new GrubEnvBootState(copies, '1.0.0');
		// Three writes first, so both copies hold earlier states and the torn one overwrites an older block.
		await state.markNextBoot('B', 3, '1.1.0');
		await state.markBad('A');
		await state.markGood('A');
		await state.markGood('B');
		t.deepEqual(await state.read(), before);
		copies.tear = tear;
		await t.throwsAsync(state.bootPrevious('A'), { message: 'power cut' });
		const seen = await state.read();
		if (JSON.stringify(seen) === JSON.stringify(before)) oldStates++;
		else {
			t.deepEqual(seen, after, `after a torn write (${name}) the state is neither the old nor the new one`);
			newStates++;
		}
		await state.markBad('B');
		t.deepEqual((await state.read()).slots.B.status, 'bad', `a write after the torn one (${name}) lands`);
	}
	// The old state until all three sequence numbers are new; after that the bytes left are padding.
	t.true(oldStates > 0 && newStates > 0, `${oldStates} tears kept the old state, ${newStates} the new one`);
});

test('on disk: the copies are written in place (same file, same size), a missing one is created', async (t) => {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-bootenv-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	await writeFile(path.join(dir, bootEnvCopyNames[0]), Buffer.alloc(grubEnvBytes));
	const state = new GrubEnvBootState(directoryEnvCopies(dir), '1.0.0');
	t.deepEqual(await state.read(), shippedBootState('1.0.0'));
	await state.markNextBoot('B', 2, '1.1.0');
	await state.markGood('B');
	const [zero, one] = await Promise.all(bootEnvCopyNames.map((name) => readFile(path.join(dir, name))));
	t.is(zero!.length, grubEnvBytes);
	t.is(one!.length, grubEnvBytes);
	t.deepEqual(decodeBootEnv(one!)?.snapshot.slots.B, { status: 'good', version: '1.1.0' });
	t.deepEqual(decodeBootEnv(zero!)?.snapshot.slots.B, { status: 'trying', triesLeft: 2, version: '1.1.0' });
});
