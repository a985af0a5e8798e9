// The appliance service's firmware operations on a files platform: the status of both slots; an install that goes
// through its four steps into slot B and leaves it trying, with the version, as the next boot; each refusal named by
// the form field `bundle`, the boot state byte for byte untouched; a second install while one runs refused at once;
// a downgrade only with force; "boot previous" only to a good slot; a machine without a platform saying so.
import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import test, { type ExecutionContext } from 'ava';
import { FirmwareUpdates } from '../../../services/appliance/firmware-updates.js';
import { ApplianceProblem } from '../../../services/appliance/problems.js';
import { waitFor } from '../../../services/apply/wait.js';
import { BundleKeyError, SlotError } from '../../../services/firmware/bundle-errors.js';
import { makeBundle, newKey, refusedBundles, streamOf, tempDir } from '../../helpers/firmware-bundles.js';
import { emptySlotByte, makeTestPlatform, testSlotBytes } from '../../helpers/firmware-platform.js';
import { serviceUnderTest, webActor } from '../../helpers/appliance-service.js';

async function setup(t: ExecutionContext) {
	const dir = await tempDir(t);
	const key = newKey();
	const platform = await makeTestPlatform(path.join(dir, 'platform'), [key]);
	const { service, deps } = await serviceUnderTest({ firmwarePlatform: () => platform.platform });
	return { dir, key, platform, service, deps, firmware: service.firmware, audit: () => deps.audit.latest(10) };
}

async function refusal(t: ExecutionContext, promise: Promise<unknown>, kind: ApplianceProblem['kind']): Promise<ApplianceProblem> {
	const error = await t.throwsAsync(promise, { instanceOf: ApplianceProblem });
	t.is(error!.kind, kind, error!.message);
	return error!;
}

test('the status: slot A running, good and booting next; slot B empty; no install yet', async (t) => {
	const { firmware } = await setup(t);
	t.deepEqual(await firmware.status(), {
		booted: 'A',
		next: 'A',
		slots: [{ slot: 'A', status: 'good', version: '1.0.0', booted: true, next: true }, { slot: 'B', status: 'bad', booted: false, next: false }],
		install: null,
	});
});

test('an install: the four steps in order, slot B holds the payload, trying with 3 tries and the version, and boots next', async (t) => {
	const { dir, key, platform, firmware, audit } = await setup(t);
	const bundle = await makeBundle(dir, key, { version: '1.1.0' });
	const steps: string[] = [];
	const status = await firmware.install(createReadStream(bundle.file), { force: false, onStep: (step) => steps.push(step) }, webActor);
	t.deepEqual(steps, ['verified', 'written', 'read back', 'marked']);
	t.like(status, { booted: 'A', next: 'B' });
	t.deepEqual(status.slots[1], { slot: 'B', status: 'trying', triesLeft: 3, version: '1.1.0', booted: false, next: true });
	t.like(status.install, { state: 'done', user: 'admin', slot: 'B', version: '1.1.0', tries: 3, bytes: (await readFile(bundle.file)).length });
	t.deepEqual(status.install?.steps.map((entry) => entry.step), steps);
	t.true((await platform.slotBytes('B')).subarray(0, bundle.payload.length).equals(bundle.payload));
	t.like((await audit())[0], { operation: 'firmware.install', outcome: 'done' });
});

test('a tampered, an unsigned, a truncated, a foreign and an older bundle: invalid, named "bundle", the boot state byte for byte as it was', async (t) => {
	const { dir, key, platform, firmware } = await setup(t);
	const before = await platform.bootStateText();
	for (const { what, data, message } of await refusedBundles(dir, key)) {
		const problem = await refusal(t, firmware.install(streamOf(data), { force: false }, webActor), 'invalid');
		t.deepEqual(problem.errors.map((error) => error.path), ['bundle'], what);
		t.regex(problem.errors[0]!.message, message, what);
		t.is(await platform.bootStateText(), before, `${what}: the boot state is untouched`);
		const { install } = await firmware.status();
		t.like(install, { state: 'failed', problem: { kind: 'invalid' } }, what);
	}
	t.true((await platform.slotBytes('A')).equals(Buffer.alloc(testSlotBytes, emptySlotByte)), 'slot A, the running one, is never written');
});

test('an older bundle installs with force', async (t) => {
	const { dir, key, firmware } = await setup(t);
	const bundle = await makeBundle(dir, key, { version: '0.9.0' });
	const status = await firmware.install(createReadStream(bundle.file), { force: true }, webActor);
	t.like(status.slots[1], { status: 'trying', version: '0.9.0' });
});

test('a second install while one runs is refused at once (busy), and the first one completes', async (t) => {
	const { dir, key, firmware, audit } = await setup(t);
	const first = await readFile((await makeBundle(dir, key)).file);
	const upload = new PassThrough();
	const running = firmware.install(upload, { force: false }, webActor);
	upload.write(first.subarray(0, 16_384));
	await waitFor('the first install to be verified', 10_000, async () => (await firmware.status()).install?.steps.some((step) => step.step === 'verified'));
	const second = new PassThrough();
	const busy = await refusal(t, firmware.install(second, { force: false }, webActor), 'busy');
	t.regex(busy.message, /already running \(firmware\.install by admin\)/);
	t.is(busy.retryAfterSeconds, 30);
	t.true(second.destroyed, 'the second bundle is not read');
	await t.throwsAsync(firmware.bootPrevious(webActor), { instanceOf: ApplianceProblem, message: /already running/ });
	upload.end(first.subarray(16_384));
	t.like((await running).install, { state: 'done' });
	t.like((await audit()).find((entry) => entry.outcome === 'refused'), { operation: 'firmware.bootPrevious' });
});

test('another process holding the firmware lock (the CLI): busy, naming it; nothing read, nothing changed', async (t) => {
	const { dir, key, platform, firmware, service } = await setup(t);
	const before = await platform.bootStateText();
	await mkdir(path.dirname(service.paths.firmwareLock), { recursive: true });
	await writeFile(service.paths.firmwareLock, String(process.ppid));
	const upload = createReadStream((await makeBundle(dir, key)).file);
	const busy = await refusal(t, firmware.install(upload, { force: false }, webActor), 'busy');
	t.regex(busy.message, new RegExp(`already running \\(process ${process.ppid}\\)`));
	t.true(upload.destroyed);
	t.is(await platform.bootStateText(), before);
});

test('boot previous: the other slot than the next boot, only when good; a refusal changes nothing', async (t) => {
	const { dir, key, platform, firmware } = await setup(t);
	const before = await platform.bootStateText();
	const empty = await refusal(t, firmware.bootPrevious(webActor), 'conflict');
	t.is(empty.message, 'slot B is bad, not good: only a slot that booted and passed its health checks can be chosen; nothing was changed');
	t.deepEqual(empty.errors, [{ path: 'slots.B', message: 'slot B is bad' }]);
	t.is(await platform.bootStateText(), before);

	// Installed, not rebooted yet: the running, good slot A boots next again (the update is put off).
	await firmware.install(createReadStream((await makeBundle(dir, key)).file), { force: false }, webActor);
	t.like(await firmware.bootPrevious(webActor), { booted: 'A', next: 'A' });
	const onTrial = await refusal(t, firmware.bootPrevious(webActor), 'conflict');
	t.regex(onTrial.message, /^slot B \(version 1\.1\.0\) is on trial with 3 boots left, not good/);

	// Rebooted into B, which passed its checks: A, the previous firmware, boots next.
	await platform.bootInto('B');
	await platform.writeBootState({ primary: 'B', slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'good', version: '1.1.0' } } });
	const status = await firmware.bootPrevious(webActor);
	t.like(status, { booted: 'B', next: 'A' });
	t.deepEqual(status.slots.map((slot) => [slot.slot, slot.booted, slot.next]), [['A', false, true], ['B', true, false]]);
});

test('a bundle that stops coming is given up after the idle time: refused, the lock released for the next install', async (t) => {
	const { dir, key, platform, service, deps } = await setup(t);
	const firmware = new FirmwareUpdates({ platform: () => platform.platform, audit: deps.audit, lockFile: service.paths.firmwareLock, idleMs: 300 });
	const bundle = await readFile((await makeBundle(dir, key)).file);
	const stalled = new PassThrough();
	stalled.write(bundle.subarray(0, 50_000));
	const problem = await refusal(t, firmware.install(stalled, { force: false }, webActor), 'invalid');
	t.regex(problem.message, /no bundle data came for 0\.3 s after 50000 bytes/);
	t.like((await firmware.install(streamOf(bundle), { force: false }, webActor)).install, { state: 'done' });
});

test('on a machine without the appliance\'s disk (no ESP, no shipped keys), every operation says what is missing', async (t) => {
	const { service } = await serviceUnderTest();
	const status = await t.throwsAsync(service.firmware.status(), { instanceOf: SlotError });
	t.is(status!.value, '/efi');
	const install = await t.throwsAsync(service.firmware.install(streamOf(Buffer.alloc(10)), { force: false }, webActor), { instanceOf: BundleKeyError });
	t.is(install!.field, 'trusted keys directory');
	t.is((await t.throwsAsync(service.firmware.bootPrevious(webActor), { instanceOf: SlotError }))!.value, '/efi');
});
