// The firmware endpoints against the real web server and engine processes over HTTPS, the engine on a files
// platform (EXLB_FIRMWARE_PLATFORM=files:<dir>: two slot files, the boot state as JSON): the status; a tampered,
// unsigned, truncated, foreign or older bundle refused with a 400 naming it and the boot state byte for byte as it
// was; a wrong or misplaced password refused; a second upload while one streams in: 409; a good install leaving
// slot B trying with its version as the next boot; "boot previous" only to a good slot.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { FormData, type BodyInit } from 'undici';
import { waitFor } from '../../../services/apply/wait.js';
import { loggedInAdmin, type ApiClient, type ApiResponse } from '../../helpers/api-client.js';
import { makeBundle, newKey, refusedBundles, type TestKey } from '../../helpers/firmware-bundles.js';
import { emptySlotByte, makeTestPlatform, testSlotBytes, type TestPlatform } from '../../helpers/firmware-platform.js';
import { startEngineUnderTest } from './engine-under-test.js';
import { adminPassword } from './web-for-this-file.js';
import { startWebUnderTest, type WebUnderTest } from './web-under-test.js';

let dir: string;
let key: TestKey;
let platform: TestPlatform;
let web: WebUnderTest;
let admin: ApiClient;

test.before(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'exlb-fw-api-'));
	key = newKey();
	platform = await makeTestPlatform(path.join(dir, 'platform'), [key]);
	web = await startWebUnderTest(await startEngineUnderTest(undefined, { env: { EXLB_FIRMWARE_PLATFORM: platform.variable } }));
	admin = await loggedInAdmin(web);
});

test.after.always(async () => {
	await admin?.close();
	await web?.stop();
	await rm(dir, { recursive: true, force: true });
});

/** The form as the web interface sends it: the fields first, the bundle last. */
function installForm(bundle: Uint8Array, fields: Record<string, string> = { password: adminPassword }): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	form.append('bundle', new Blob([new Uint8Array(bundle)]), 'exlb.exlbfw');
	return form;
}

const upload = (form: FormData) => admin.request('POST', '/api/v1/firmware', { body: form });
const errorPaths = (response: ApiResponse) => (response.body.error.errors ?? []).map((error: { path: string }) => error.path);

/** Refused with `status`, naming `paths`; the boot state and the running slot exactly as they were. */
async function refusedUnchanged(t: ExecutionContext, response: ApiResponse, status: number, paths: string[], before: string): Promise<void> {
	t.is(response.status, status, response.text);
	t.deepEqual(errorPaths(response), paths, response.text);
	t.is(await platform.bootStateText(), before, 'the boot state is byte for byte what it was');
	t.true((await platform.slotBytes('A')).equals(Buffer.alloc(testSlotBytes, emptySlotByte)), 'the running slot is never written');
}

test.serial('GET /api/v1/firmware: slot A running, good, booting next; slot B empty', async (t) => {
	const response = await admin.request('GET', '/api/v1/firmware');
	t.is(response.status, 200, response.text);
	t.deepEqual(response.body, {
		booted: 'A',
		next: 'A',
		slots: [{ slot: 'A', status: 'good', version: '1.0.0', booted: true, next: true }, { slot: 'B', status: 'bad', booted: false, next: false }],
		install: null,
	});
});

test.serial('a tampered, unsigned, truncated, foreign or older bundle: 400 naming the bundle and the check; nothing changes', async (t) => {
	const before = await platform.bootStateText();
	for (const { what, data, message } of await refusedBundles(dir, key)) {
		const response = await upload(installForm(data));
		await refusedUnchanged(t, response, 400, ['bundle'], before);
		t.regex(response.body.error.errors[0].message, message, what);
		t.is(response.body.error.kind, 'invalid');
	}
	const status = (await admin.request('GET', '/api/v1/firmware')).body;
	t.like(status.install, { state: 'failed', user: 'admin', slot: 'B', steps: [], problem: { kind: 'invalid' } });
	t.is(status.install.version, undefined, 'refused while its manifest was checked: no version to show');
});

test.serial('a wrong password: 403; no password, or one after the bundle: 400 naming it; not multipart: 415; nothing changes', async (t) => {
	const before = await platform.bootStateText();
	const bundle = await readFile((await makeBundle(dir, key)).file);
	await refusedUnchanged(t, await upload(installForm(bundle, { password: 'not the password at all' })), 403, ['password'], before);
	await refusedUnchanged(t, await upload(installForm(bundle, {})), 400, ['password'], before);
	await refusedUnchanged(t, await upload(installForm(bundle, { password: '' })), 400, ['password'], before);
	const late = new FormData();
	late.append('bundle', new Blob([new Uint8Array(bundle)]), 'exlb.exlbfw');
	late.append('password', adminPassword);
	await refusedUnchanged(t, await upload(late), 400, ['password'], before);
	await refusedUnchanged(t, await upload(installForm(bundle, { password: adminPassword, force: 'yes' })), 400, ['force'], before);
	await refusedUnchanged(t, await upload(installForm(bundle, { password: adminPassword, comment: 'x' })), 400, ['comment'], before);
	const json = await admin.request('POST', '/api/v1/firmware', { json: { password: adminPassword } });
	t.is(json.status, 415, json.text);
});

test.serial('boot previous to an empty slot: 409, nothing changes; a wrong password: 403', async (t) => {
	const before = await platform.bootStateText();
	const empty = await admin.request('POST', '/api/v1/firmware/boot-previous', { json: { password: adminPassword } });
	await refusedUnchanged(t, empty, 409, ['slots.B'], before);
	t.regex(empty.body.error.message, /^slot B is bad, not good/);
	await refusedUnchanged(t, await admin.request('POST', '/api/v1/firmware/boot-previous', { json: { password: 'wrong password here' } }), 403, ['password'], before);
});

/** A multipart upload written while it is sent: the fields and `head` of the bundle now, the rest at `finish()`. */
function streamedUpload(bundle: Buffer, head: number) {
	const boundary = `exlb-test-${Date.now()}`;
	const encoder = new TextEncoder();
	let finish = () => {};
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="password"\r\n\r\n${adminPassword}\r\n`
				+ `--${boundary}\r\nContent-Disposition: form-data; name="bundle"; filename="exlb.exlbfw"\r\nContent-Type: application/octet-stream\r\n\r\n`));
			controller.enqueue(new Uint8Array(bundle.subarray(0, head)));
			finish = () => {
				controller.enqueue(new Uint8Array(bundle.subarray(head)));
				controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
				controller.close();
			};
		},
	});
	return { body, contentType: `multipart/form-data; boundary=${boundary}`, finish: () => finish() };
}

test.serial('a second upload while one streams in: 409 at once; then the first completes: slot B trying with its version, booting next', async (t) => {
	const bundle = await readFile((await makeBundle(dir, key, { version: '1.1.0' })).file);
	const first = streamedUpload(bundle, 100_000);
	const answer = admin.request('POST', '/api/v1/firmware', { body: first.body as unknown as BodyInit, headers: { 'content-type': first.contentType } });
	await waitFor('the first install to be verified', 30_000, async () => {
		const install = (await admin.request('GET', '/api/v1/firmware')).body.install;
		return install?.state === 'running' && install.steps.length === 1 ? install : undefined;
	}, 100);
	const second = await upload(installForm(bundle));
	t.is(second.status, 409, second.text);
	t.is(second.body.error.kind, 'busy');
	t.is(second.headers.get('retry-after'), '30');
	first.finish();
	const done = await answer;
	t.is(done.status, 200, done.text);
	t.like(done.body, { booted: 'A', next: 'B' });
	t.deepEqual(done.body.slots[1], { slot: 'B', status: 'trying', triesLeft: 3, version: '1.1.0', booted: false, next: true });
	t.deepEqual(done.body.install.steps.map((step: { step: string }) => step.step), ['verified', 'written', 'read back', 'marked']);
	t.like(done.body.install, { state: 'done', version: '1.1.0', tries: 3, bytes: bundle.length });
	t.deepEqual(JSON.parse(await platform.bootStateText()), { primary: 'B', slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'trying', triesLeft: 3, version: '1.1.0' } } });
});

test.serial('boot previous: the running slot A boots next again (the update put off); B, on trial, cannot be chosen back', async (t) => {
	const previous = await admin.request('POST', '/api/v1/firmware/boot-previous', { json: { password: adminPassword } });
	t.is(previous.status, 200, previous.text);
	t.like(previous.body, { booted: 'A', next: 'A' });
	const before = await platform.bootStateText();
	const onTrial = await admin.request('POST', '/api/v1/firmware/boot-previous', { json: { password: adminPassword } });
	await refusedUnchanged(t, onTrial, 409, ['slots.B'], before);
	t.regex(onTrial.body.error.message, /^slot B \(version 1\.1\.0\) is on trial with 3 boots left, not good/);
});

test.serial('after an automatic rollback the status says from which slot and version', async (t) => {
	await platform.writeBootState({
		primary: 'A', slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'bad', version: '1.1.0' } }, rolledBackFrom: { slot: 'B', version: '1.1.0' },
	});
	const status = (await admin.request('GET', '/api/v1/firmware')).body;
	t.deepEqual(status.rolledBackFrom, { slot: 'B', version: '1.1.0' });
	t.like(status, { booted: 'A', next: 'A' });
});
