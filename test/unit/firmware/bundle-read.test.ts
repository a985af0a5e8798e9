// Bundle verification on real and hand-made bundles: each refusal is its own BundleError subclass, raised before
// the consumer sees a payload byte (except a payload that does not match its manifest, known only at its end).
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import test from 'ava';
import {
	BundleFormatError,
	IncompatibleBundleError,
	ManifestTooLargeError,
	PayloadError,
	SignatureError,
	VersionPolicyError,
} from '../../../services/firmware/bundle-errors.js';
import { manifestMember, maxManifestBytes, payloadMember, signatureMember } from '../../../services/firmware/bundle-manifest.js';
import { readBundle, verifyBundle, type BundlePolicy } from '../../../services/firmware/bundle-read.js';
import { makeBundle, newKey, packMembers, policy, streamOf, tempDir, unpackMembers } from '../../helpers/firmware-bundles.js';

/** Reads a bundle, recording whether the consumer was called and what it got. */
async function consume(data: Buffer, bundlePolicy: BundlePolicy) {
	const seen = { called: false, payload: Buffer.alloc(0) };
	const result = readBundle(streamOf(data), bundlePolicy, async (_verified, payload) => {
		seen.called = true;
		const chunks: Buffer[] = [];
		for await (const chunk of payload) chunks.push(chunk);
		seen.payload = Buffer.concat(chunks);
	});
	return { result, seen };
}

test('a good bundle: the manifest names the payload, the signer is the trusted key, the payload arrives whole', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key);
	const { result, seen } = await consume(await readFile(bundle.file), policy([newKey(), key]));
	const verified = await result;
	t.is(verified.manifest.version, '1.1.0');
	t.is(verified.manifest.compatible, 'exlb-x86_64-v1');
	t.is(verified.manifest.payload.size, bundle.payload.length);
	t.is(verified.manifest.keyId, key.trusted.keyId);
	t.is(verified.signer.keyId, key.trusted.keyId);
	t.true(seen.payload.equals(bundle.payload));
	t.deepEqual((await unpackMembers(bundle.file)).map((member) => member.name), [manifestMember, signatureMember, payloadMember]);
});

test('verifyBundle reads a bundle file stream to its end', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key);
	const verified = await verifyBundle(createReadStream(bundle.file, { highWaterMark: 4096 }), policy([key]));
	t.is(verified.manifest.payload.size, 300_000);
});

test('a tampered payload byte: PayloadError naming the SHA-256, after the payload', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key);
	const data = await readFile(bundle.file);
	const at = data.indexOf(bundle.payload.subarray(0, 64)) + 1000;
	data[at] = data[at]! ^ 0x01;
	const { result, seen } = await consume(data, policy([key]));
	const error = await t.throwsAsync(result, { instanceOf: PayloadError });
	t.is(error!.field, 'payload sha256');
	t.true(seen.called);
});

test('a tampered manifest (the version rewritten in place): SignatureError, the payload never handed out', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key);
	const data = await readFile(bundle.file);
	const at = data.indexOf('"version": "1.1.0"');
	t.true(at > 0);
	data.write('"version": "9.1.0"', at);
	const { result, seen } = await consume(data, policy([key]));
	const error = await t.throwsAsync(result, { instanceOf: SignatureError });
	t.is(error!.field, signatureMember);
	t.false(seen.called);
});

test('a bundle signed with another key: SignatureError listing the trusted key ids', async (t) => {
	const trusted = newKey();
	const bundle = await makeBundle(await tempDir(t), newKey());
	const { result, seen } = await consume(await readFile(bundle.file), policy([trusted]));
	const error = await t.throwsAsync(result, { instanceOf: SignatureError });
	t.true(error!.message.includes(trusted.trusted.keyId));
	t.false(seen.called);
});

test('a truncated bundle: BundleFormatError wherever it is cut', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key);
	const data = await readFile(bundle.file);
	const payloadStart = data.indexOf(bundle.payload.subarray(0, 64));
	for (const cut of [0, 100, 700, payloadStart - 512, payloadStart - 100, payloadStart + 1000, payloadStart + bundle.payload.length - 1]) {
		const { result } = await consume(data.subarray(0, cut), policy([key]));
		const error = await t.throwsAsync(result, { instanceOf: BundleFormatError }, `cut at ${cut}`);
		t.regex(error!.message, /truncated|missing/, `cut at ${cut}`);
	}
});

test('something that is not a tar: BundleFormatError', async (t) => {
	const { result } = await consume(Buffer.alloc(4096, 'not a tar '), policy([newKey()]));
	await t.throwsAsync(result, { instanceOf: BundleFormatError });
});

test('a bundle for another compatible string: IncompatibleBundleError naming it', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key, { compatible: 'exlb-arm64-v1' });
	const { result, seen } = await consume(await readFile(bundle.file), policy([key]));
	const error = await t.throwsAsync(result, { instanceOf: IncompatibleBundleError });
	t.is(error!.field, 'manifest compatible');
	t.is(error!.value, 'exlb-arm64-v1');
	t.false(seen.called);
});

test('a downgrade is refused with VersionPolicyError, and accepted when forced', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key, { version: '0.9.0' });
	const data = await readFile(bundle.file);
	const refused = await consume(data, policy([key]));
	const error = await t.throwsAsync(refused.result, { instanceOf: VersionPolicyError });
	t.is(error!.value, '0.9.0');
	t.false(refused.seen.called);
	const forced = await consume(data, policy([key], { force: true }));
	t.is((await forced.result).manifest.version, '0.9.0');
	t.true(forced.seen.payload.equals(bundle.payload));
});

test('the same version may be installed again', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key, { version: '1.0.0' });
	t.is((await verifyBundle(createReadStream(bundle.file), policy([key]))).manifest.version, '1.0.0');
});

test('an oversized manifest: ManifestTooLargeError before it is read', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key);
	const [manifest, signature, payload] = await unpackMembers(bundle.file);
	const padded = Buffer.concat([manifest!.data, Buffer.alloc(maxManifestBytes, ' ')]);
	const data = await packMembers([{ name: manifestMember, data: padded }, signature!, payload!]);
	const { result, seen } = await consume(data, policy([key]));
	const error = await t.throwsAsync(result, { instanceOf: ManifestTooLargeError });
	t.is(error!.value, padded.length);
	t.false(seen.called);
});

test('members missing, out of order or extra: BundleFormatError naming the member', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key);
	const [manifest, signature, payload] = await unpackMembers(bundle.file);
	const cases = [
		{ members: [signature!, manifest!, payload!], value: signatureMember },
		{ members: [manifest!, payload!], value: payloadMember },
		{ members: [manifest!, signature!], value: payloadMember },
		{ members: [manifest!, signature!, payload!, { name: 'extra', data: Buffer.from('x') }], value: 'extra' },
	];
	for (const { members, value } of cases) {
		const { result } = await consume(await packMembers(members), policy([key]));
		const error = await t.throwsAsync(result, { instanceOf: BundleFormatError }, members.map((member) => member.name).join(','));
		t.is(error!.value, value);
	}
});

test('a signature member of the wrong size: BundleFormatError', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key);
	const [manifest, signature, payload] = await unpackMembers(bundle.file);
	const data = await packMembers([manifest!, { name: signatureMember, data: signature!.data.subarray(0, 63) }, payload!]);
	const { result } = await consume(data, policy([key]));
	const error = await t.throwsAsync(result, { instanceOf: BundleFormatError });
	t.is(error!.value, 63);
});

test('streamed: the first payload chunk reaches the consumer long before the bundle has been read', async (t) => {
	const key = newKey();
	const bundle = await makeBundle(await tempDir(t), key, { payloadBytes: 4 * 1024 * 1024 });
	const data = await readFile(bundle.file);
	let served = 0;
	const source = Readable.from((function* () {
		for (let offset = 0; offset < data.length; offset += 65_536) {
			served = Math.min(offset + 65_536, data.length);
			yield data.subarray(offset, offset + 65_536);
		}
	})());
	let servedAtFirstChunk = -1;
	await readBundle(source, policy([key]), async (_verified, payload) => {
		for await (const _chunk of payload) if (servedAtFirstChunk < 0) servedAtFirstChunk = served;
	});
	t.true(servedAtFirstChunk > 0);
	t.true(servedAtFirstChunk < data.length / 4, `${servedAtFirstChunk} of ${data.length} bytes read when the payload began`);
	t.is(served, data.length);
});
