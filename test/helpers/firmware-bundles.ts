// Bundles for the firmware tests (unit, CLI and image): real ones written by bundle-write.ts with a throw-away key, and hand-packed tars
// for the malformed cases. Payloads are a few hundred KiB of random bytes standing in for a squashfs.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ExecutionContext } from 'ava';
import tar from 'tar-stream';
import { trustedKeyFromPem, type TrustedKey } from '../../services/firmware/bundle-keys.js';
import type { BundlePolicy } from '../../services/firmware/bundle-read.js';
import { writeBundle, type BundleInput } from '../../services/firmware/bundle-write.js';

export interface TestKey {
	readonly privateKey: KeyObject;
	readonly trusted: TrustedKey;
}

export function newKey(): TestKey {
	const { privateKey, publicKey } = generateKeyPairSync('ed25519');
	return { privateKey, trusted: trustedKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'test key') };
}

export async function tempDir(t: ExecutionContext): Promise<string> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-fw-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	return dir;
}

/** The running firmware is 1.0.0 and trusts `keys`. */
export function policy(keys: readonly TestKey[], extra: Partial<BundlePolicy> = {}): BundlePolicy {
	return { trustedKeys: keys.map((key) => key.trusted), runningVersion: '1.0.0', ...extra };
}

export interface WrittenBundle {
	readonly file: string;
	readonly payload: Buffer;
}

/** A real bundle of version 1.1.0 (unless told otherwise) with a random payload, written under `dir`. */
export async function makeBundle(dir: string, key: TestKey, options: Partial<Omit<BundleInput, 'signingKey' | 'payloadFile'>> & { payloadBytes?: number } = {}): Promise<WrittenBundle> {
	const payload = randomBytes(options.payloadBytes ?? 300_000);
	const payloadFile = path.join(dir, `payload-${randomBytes(4).toString('hex')}.squashfs`);
	await writeFile(payloadFile, payload);
	const file = path.join(dir, `bundle-${randomBytes(4).toString('hex')}.exlbfw`);
	await writeBundle({ version: '1.1.0', created: new Date(1767225600_000), ...options, payloadFile, signingKey: key.privateKey }, file);
	return { file, payload };
}

/** A tar of these members in this order (for bundles bundle-write.ts would never produce). */
export async function packMembers(members: readonly { name: string; data: Buffer }[]): Promise<Buffer> {
	const pack = tar.pack();
	for (const member of members) pack.entry({ name: member.name }, member.data);
	pack.finalize();
	const chunks: Buffer[] = [];
	for await (const chunk of pack) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** The members of a bundle file, whole (small test bundles only). */
export async function unpackMembers(file: string): Promise<{ name: string; data: Buffer }[]> {
	const extract = tar.extract();
	Readable.from([await readFile(file)]).pipe(extract);
	const members: { name: string; data: Buffer }[] = [];
	for await (const entry of extract) {
		const chunks: Buffer[] = [];
		for await (const chunk of entry) chunks.push(chunk as Buffer);
		members.push({ name: entry.header.name, data: Buffer.concat(chunks) });
	}
	return members;
}

/** A stream of `data` in small chunks, as an upload arrives. */
export function streamOf(data: Buffer): Readable {
	const chunks: Buffer[] = [];
	for (let offset = 0; offset < data.length; offset += 16_384) chunks.push(data.subarray(offset, offset + 16_384));
	return Readable.from(chunks);
}

export interface RefusedBundle {
	readonly what: string;
	readonly data: Buffer;
	/** The refusal's message (the API's and the CLI's too), for a running version 1.0.0 trusting `key` only. */
	readonly message: RegExp;
}

/** The bundles every front end refuses: a payload byte changed, another key's, cut short, another appliance's, older. */
export async function refusedBundles(dir: string, key: TestKey): Promise<RefusedBundle[]> {
	const good = await makeBundle(dir, key);
	const data = await readFile(good.file);
	const tampered = Buffer.from(data);
	const at = tampered.indexOf(good.payload.subarray(0, 64)) + 1000;
	tampered[at] = tampered[at]! ^ 0x01;
	const fileOf = async (options: Parameters<typeof makeBundle>[2], signer = key) => readFile((await makeBundle(dir, signer, options)).file);
	return [
		{ what: 'tampered', data: tampered, message: /^payload sha256 "[0-9a-f]{64}": is not the manifest's/ },
		{ what: 'unsigned', data: await fileOf({}, newKey()), message: /^manifest\.sig .*: is not a signature of the manifest by a trusted key/ },
		{ what: 'truncated', data: data.subarray(0, Math.floor(data.length / 2)), message: /truncated/ },
		{ what: 'foreign', data: await fileOf({ compatible: 'exlb-arm64-v1' }), message: /^manifest compatible "exlb-arm64-v1": is not this appliance's exlb-x86_64-v1/ },
		{ what: 'older', data: await fileOf({ version: '0.9.0' }), message: /^manifest version "0\.9\.0": is older than the running 1\.0\.0: a downgrade needs force/ },
	];
}
