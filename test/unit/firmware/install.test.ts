// Installing into slot B, a plain file standing in for the partition: every refusal leaves the boot state file as it
// was (and, when refused before writing, the slot too), except that a slot written over is no longer good; a good
// bundle lands byte for byte and only then is marked as the next boot.
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { JsonFileBootState } from '../../../services/firmware/boot-state-file.js';
import {
	BundleFormatError,
	IncompatibleBundleError,
	ManifestTooLargeError,
	PayloadError,
	SignatureError,
	SlotError,
	VersionPolicyError,
	type BundleError,
} from '../../../services/firmware/bundle-errors.js';
import { manifestMember, maxManifestBytes } from '../../../services/firmware/bundle-manifest.js';
import type { BundlePolicy } from '../../../services/firmware/bundle-read.js';
import { installBundle, type InstallStep } from '../../../services/firmware/install.js';
import { sha256File } from '../../../services/fs/sha256-file.js';
import { makeBundle, newKey, packMembers, policy, streamOf, tempDir, unpackMembers, type TestKey } from '../../helpers/firmware-bundles.js';

const slotBytes = 512 * 1024;
/** The boot state before each install: slot A running and good, B empty. */
const before = { primary: 'A', slots: { A: { status: 'good' }, B: { status: 'bad' } } };

async function setup(t: ExecutionContext, initial: object = before) {
	const dir = await tempDir(t);
	const device = path.join(dir, 'slot-b.img');
	await writeFile(device, Buffer.alloc(slotBytes, 0xee));
	const stateFile = path.join(dir, 'boot-state.json');
	const stateText = `${JSON.stringify(initial, null, 2)}\n`;
	await writeFile(stateFile, stateText);
	const key = newKey();
	return { dir, device, stateFile, stateText, key, bootState: new JsonFileBootState(stateFile) };
}

type Setup = Awaited<ReturnType<typeof setup>>;

async function install(setupResult: Setup, bundle: Buffer, bundlePolicy: BundlePolicy, steps: InstallStep[] = []) {
	return installBundle({ bundle: streamOf(bundle), policy: bundlePolicy, slot: 'B', device: setupResult.device, bootState: setupResult.bootState, onStep: (step) => steps.push(step) });
}

/** Refused with `errorClass`; the boot state file is byte for byte what it was; the slot too unless `slotWritten`. */
async function assertRefused(t: ExecutionContext, s: Setup, bundle: Buffer, bundlePolicy: BundlePolicy, errorClass: new (...args: never[]) => BundleError, slotWritten = false) {
	const steps: InstallStep[] = [];
	const error = await t.throwsAsync(install(s, bundle, bundlePolicy, steps), { instanceOf: errorClass });
	t.is(await readFile(s.stateFile, 'utf8'), s.stateText);
	t.false(steps.includes('marked'));
	if (!slotWritten) {
		t.true((await readFile(s.device)).equals(Buffer.alloc(slotBytes, 0xee)), 'the slot was not written');
		t.deepEqual(steps, []);
	}
	return error!;
}

async function goodBundle(s: Setup, key: TestKey = s.key, options: Parameters<typeof makeBundle>[2] = {}) {
	const bundle = await makeBundle(s.dir, key, options);
	return { ...bundle, data: await readFile(bundle.file) };
}

test('a good bundle lands in the slot, is read back, and only then becomes the next boot with 3 tries', async (t) => {
	const s = await setup(t);
	const bundle = await makeBundle(s.dir, s.key);
	const steps: InstallStep[] = [];
	const result = await installBundle({ bundle: createReadStream(bundle.file), policy: policy([s.key]), slot: 'B', device: s.device, bootState: s.bootState, onStep: (step) => steps.push(step) });
	t.deepEqual(steps, ['verified', 'written', 'read back', 'marked']);
	t.is(await sha256File(s.device, result.manifest.payload.size), result.manifest.payload.sha256);
	const slot = await readFile(s.device);
	t.is(slot.length, slotBytes, 'the slot keeps its size');
	t.true(slot.subarray(0, bundle.payload.length).equals(bundle.payload));
	t.deepEqual(await s.bootState.read(), { primary: 'B', slots: { A: { status: 'good' }, B: { status: 'trying', triesLeft: 3, version: '1.1.0' } } });
});

test('a tampered payload byte: PayloadError, the boot state untouched', async (t) => {
	const s = await setup(t);
	const bundle = await goodBundle(s);
	const at = bundle.data.indexOf(bundle.payload.subarray(0, 64)) + 5000;
	bundle.data[at] = bundle.data[at]! ^ 0x80;
	const error = await assertRefused(t, s, bundle.data, policy([s.key]), PayloadError, true);
	t.is(error.field, 'payload sha256');
});

test('a tampered manifest: SignatureError, nothing written', async (t) => {
	const s = await setup(t);
	const bundle = await goodBundle(s);
	bundle.data.write('"compatible": "exlb-x86_64-v2"', bundle.data.indexOf('"compatible": "exlb-x86_64-v1"'));
	await assertRefused(t, s, bundle.data, policy([s.key]), SignatureError);
});

test('a bundle signed by another key: SignatureError, nothing written', async (t) => {
	const s = await setup(t);
	const bundle = await goodBundle(s, newKey());
	await assertRefused(t, s, bundle.data, policy([s.key]), SignatureError);
});

test('a truncated bundle: BundleFormatError, the boot state untouched', async (t) => {
	const s = await setup(t);
	const bundle = await goodBundle(s);
	const payloadStart = bundle.data.indexOf(bundle.payload.subarray(0, 64));
	await assertRefused(t, s, bundle.data.subarray(0, payloadStart - 600), policy([s.key]), BundleFormatError);
	await assertRefused(t, s, bundle.data.subarray(0, payloadStart + 20_000), policy([s.key]), BundleFormatError, true);
});

test('a bundle for another compatible string: IncompatibleBundleError, nothing written', async (t) => {
	const s = await setup(t);
	const bundle = await goodBundle(s, s.key, { compatible: 'exlb-x86_64-v2' });
	await assertRefused(t, s, bundle.data, policy([s.key]), IncompatibleBundleError);
});

test('a downgrade: VersionPolicyError and nothing written; forced, it installs', async (t) => {
	const s = await setup(t);
	const bundle = await goodBundle(s, s.key, { version: '0.9.3' });
	await assertRefused(t, s, bundle.data, policy([s.key]), VersionPolicyError);
	const result = await install(s, bundle.data, policy([s.key], { force: true }));
	t.is(result.manifest.version, '0.9.3');
	t.is((await s.bootState.read()).primary, 'B');
});

test('an oversized manifest: ManifestTooLargeError, nothing written', async (t) => {
	const s = await setup(t);
	const bundle = await goodBundle(s);
	const [manifest, signature, payload] = await unpackMembers(bundle.file);
	const data = await packMembers([{ name: manifestMember, data: Buffer.concat([manifest!.data, Buffer.alloc(maxManifestBytes)]) }, signature!, payload!]);
	await assertRefused(t, s, data, policy([s.key]), ManifestTooLargeError);
});

test('a payload larger than the slot: SlotError before writing', async (t) => {
	const s = await setup(t);
	const bundle = await goodBundle(s, s.key, { payloadBytes: slotBytes + 1 });
	const error = await assertRefused(t, s, bundle.data, policy([s.key]), SlotError);
	t.is(error.field, 'slot B size');
	t.is(error.value, slotBytes);
});

test('a missing slot device: SlotError naming it, the boot state untouched', async (t) => {
	const s = await setup(t);
	const bundle = await goodBundle(s);
	const error = await t.throwsAsync(
		installBundle({ bundle: streamOf(bundle.data), policy: policy([s.key]), slot: 'B', device: path.join(s.dir, 'absent'), bootState: s.bootState }),
		{ instanceOf: SlotError },
	);
	t.is(error!.value, path.join(s.dir, 'absent'));
	t.is(await readFile(s.stateFile, 'utf8'), s.stateText);
});

test('slot B holding the previous firmware (good): kept good when refused before writing, marked bad once written over', async (t) => {
	const previous = { primary: 'A', slots: { A: { status: 'good' }, B: { status: 'good' } } };
	const s = await setup(t, previous);
	const foreign = await goodBundle(s, newKey());
	await assertRefused(t, s, foreign.data, policy([s.key]), SignatureError);
	const bundle = await goodBundle(s);
	const at = bundle.data.indexOf(bundle.payload.subarray(0, 64)) + 5000;
	bundle.data[at] = bundle.data[at]! ^ 0x80;
	const steps: InstallStep[] = [];
	await t.throwsAsync(install(s, bundle.data, policy([s.key]), steps), { instanceOf: PayloadError });
	t.deepEqual(steps, ['verified']);
	t.deepEqual(await s.bootState.read(), { primary: 'A', slots: { A: { status: 'good' }, B: { status: 'bad' } } }, 'A still boots; B is no longer a good fallback');
});

test('a number of tries outside 1..9: SlotError before anything is read or written', async (t) => {
	const s = await setup(t);
	const bundle = await goodBundle(s);
	for (const tries of [0, 10]) {
		const error = await t.throwsAsync(
			installBundle({ bundle: streamOf(bundle.data), policy: policy([s.key]), slot: 'B', device: s.device, bootState: s.bootState, tries }),
			{ instanceOf: SlotError },
		);
		t.is(error!.field, 'tries');
	}
	t.is(await readFile(s.stateFile, 'utf8'), s.stateText);
	t.true((await readFile(s.device)).equals(Buffer.alloc(slotBytes, 0xee)));
});
