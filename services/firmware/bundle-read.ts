// Reads an update bundle as a stream, never holding it whole: the manifest (size-capped), its signature against
// the trusted keys, the compatible string and the version policy are all checked before the first payload byte
// is handed out; the payload is then hashed as it passes, and its last chunk is followed by a PayloadError
// if its size or SHA-256 differ from the signed manifest's.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { BundleError, BundleFormatError, IncompatibleBundleError, ManifestTooLargeError, PayloadError } from './bundle-errors.js';
import { verifyManifestSignature, type TrustedKey } from './bundle-keys.js';
import {
	applianceCompatible,
	bundleProduct,
	manifestMember,
	maxManifestBytes,
	parseManifest,
	payloadMember,
	signatureBytes,
	signatureMember,
	type BundleManifest,
} from './bundle-manifest.js';
import { checkVersionPolicy } from './bundle-version.js';

export interface BundlePolicy {
	readonly trustedKeys: readonly TrustedKey[];
	/** The running firmware's version: an older bundle is a downgrade. */
	readonly runningVersion: string;
	/** Allow a downgrade. */
	readonly force?: boolean;
	/** This appliance's compatible string (default applianceCompatible). */
	readonly compatible?: string;
}

export interface VerifiedManifest {
	readonly manifest: BundleManifest;
	/** The trusted key whose signature it carries. */
	readonly signer: TrustedKey;
}

/**
 * Gets the payload once the manifest is verified; must read it to its end (the hash is checked after the last chunk,
 * by the iterator throwing a PayloadError, so whatever the consumer wrote from it is suspect until it returns).
 */
export type PayloadConsumer = (verified: VerifiedManifest, payload: AsyncIterable<Buffer>) => Promise<void>;

/** A member being read (tar-stream's Source, which its types do not export). */
type Member = { readonly header: tar.Header } & AsyncIterable<unknown>;
type Entry = { readonly header: tar.Header } & AsyncIterable<Buffer>;
type Entries = AsyncIterator<Member>;

function tarError(error: unknown, where: string): BundleError {
	if (error instanceof BundleError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new BundleFormatError('bundle', where, `is not a complete tar archive (truncated or damaged): ${message}`, { cause: error });
}

async function nextEntry(entries: Entries, expected: string): Promise<Entry> {
	let result: IteratorResult<Member>;
	try {
		result = await entries.next();
	} catch (error: unknown) {
		throw tarError(error, `before ${expected}`);
	}
	if (result.done === true) throw new BundleFormatError('tar member', expected, 'is missing: the bundle ends before it (truncated?)');
	const { header } = result.value;
	if (header.name !== expected) throw new BundleFormatError('tar member', header.name, `is where ${expected} belongs`);
	if (header.type !== 'file') throw new BundleFormatError(`tar member ${expected}`, header.type, 'is not a regular file');
	return result.value as Entry;
}

/** A small member whole; its declared size was checked against the cap already. */
async function readSmall(entry: Entry, name: string): Promise<Buffer> {
	const chunks: Buffer[] = [];
	try {
		for await (const chunk of entry) chunks.push(chunk);
	} catch (error: unknown) {
		throw tarError(error, `inside ${name}`);
	}
	return Buffer.concat(chunks);
}

/** The payload's chunks, hashed and counted as they pass; after the last one, size and SHA-256 must match the manifest. */
async function* hashedPayload(entry: Entry, expected: BundleManifest['payload'], done: { complete: boolean }): AsyncGenerator<Buffer> {
	const hash = createHash('sha256');
	let bytes = 0;
	try {
		for await (const chunk of entry) {
			bytes += chunk.length;
			if (bytes > expected.size) throw new PayloadError('payload size', bytes, `exceeds the manifest's ${expected.size} bytes`);
			hash.update(chunk);
			yield chunk;
		}
	} catch (error: unknown) {
		throw tarError(error, `inside ${expected.name} after ${bytes} bytes`);
	}
	if (bytes !== expected.size) throw new PayloadError('payload size', bytes, `is not the manifest's ${expected.size} bytes`);
	const digest = hash.digest('hex');
	if (digest !== expected.sha256) throw new PayloadError('payload sha256', digest, `is not the manifest's ${expected.sha256}`);
	done.complete = true;
}

/** Checks the manifest bytes in order: signature, product and compatible string, version policy. */
function verifyManifest(bytes: Buffer, signature: Buffer, policy: BundlePolicy): VerifiedManifest {
	const signer = verifyManifestSignature(bytes, signature, policy.trustedKeys);
	const manifest = parseManifest(bytes);
	if (manifest.product !== bundleProduct) throw new IncompatibleBundleError('manifest product', manifest.product, `is not ${bundleProduct}`);
	const compatible = policy.compatible ?? applianceCompatible;
	if (manifest.compatible !== compatible) throw new IncompatibleBundleError('manifest compatible', manifest.compatible, `is not this appliance's ${compatible}`);
	checkVersionPolicy(policy.runningVersion, manifest.version, policy.force ?? false);
	return { manifest, signer };
}

/**
 * Reads the bundle from `source`, verifying it, and hands the payload to `consume`. Resolves with the verified
 * manifest when the payload matched it; any refusal rejects with a BundleError subclass (and destroys `source`).
 */
export async function readBundle(source: Readable, policy: BundlePolicy, consume: PayloadConsumer): Promise<VerifiedManifest> {
	const extract = tar.extract();
	const entries: Entries = extract[Symbol.asyncIterator]();
	source.once('error', (error) => extract.destroy(error));
	source.pipe(extract);
	try {
		const manifestEntry = await nextEntry(entries, manifestMember);
		if (manifestEntry.header.size > maxManifestBytes) {
			throw new ManifestTooLargeError(`${manifestMember} size`, manifestEntry.header.size, `exceeds ${maxManifestBytes} bytes`);
		}
		const bytes = await readSmall(manifestEntry, manifestMember);
		const signatureEntry = await nextEntry(entries, signatureMember);
		if (signatureEntry.header.size !== signatureBytes) {
			throw new BundleFormatError(`${signatureMember} size`, signatureEntry.header.size, `is not an Ed25519 signature's ${signatureBytes} bytes`);
		}
		const verified = verifyManifest(bytes, await readSmall(signatureEntry, signatureMember), policy);
		const { payload } = verified.manifest;
		const payloadEntry = await nextEntry(entries, payloadMember);
		if (payloadEntry.header.size !== payload.size) {
			throw new PayloadError(`${payloadMember} size`, payloadEntry.header.size, `is not the manifest's ${payload.size} bytes`);
		}
		const done = { complete: false };
		await consume(verified, hashedPayload(payloadEntry, payload, done));
		if (!done.complete) throw new Error('the payload consumer returned before the payload ended');
		let rest: IteratorResult<Member>;
		try {
			rest = await entries.next();
		} catch (error: unknown) {
			throw tarError(error, `after ${payloadMember}`);
		}
		if (rest.done !== true) throw new BundleFormatError('tar member', rest.value.header.name, `follows ${payloadMember}, the last member`);
		return verified;
	} catch (error: unknown) {
		source.unpipe(extract);
		extract.destroy();
		source.destroy();
		throw error;
	}
}

/** Verifies a whole bundle without writing its payload anywhere (exlb firmware verify). */
export async function verifyBundle(source: Readable, policy: BundlePolicy): Promise<VerifiedManifest> {
	return readBundle(source, policy, async (_verified, payload) => {
		for await (const _chunk of payload);
	});
}
