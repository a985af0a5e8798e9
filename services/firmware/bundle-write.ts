// Writes an update bundle: manifest.json (payload size and SHA-256), manifest.sig (Ed25519 over the manifest's
// exact bytes), then the payload streamed from its file, into a temp file renamed into place when complete.
import { sign, type KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { sha256File } from '../fs/sha256-file.js';
import { keyIdOf } from './bundle-keys.js';
import { applianceCompatible, bundleProduct, manifestBytes, manifestMember, payloadMember, signatureMember, type BundleManifest } from './bundle-manifest.js';

export interface BundleInput {
	/** The system squashfs. */
	readonly payloadFile: string;
	readonly version: string;
	/** Ed25519 private key. */
	readonly signingKey: KeyObject;
	/** The manifest's `created` and the members' mtime (the build's SOURCE_DATE_EPOCH: same inputs, same bundle). */
	readonly created: Date;
	readonly compatible?: string;
}

/** The signed manifest for a payload file (hashes it). */
export async function bundleManifest(input: BundleInput): Promise<BundleManifest> {
	return {
		format: 1,
		product: bundleProduct,
		compatible: input.compatible ?? applianceCompatible,
		version: input.version,
		created: input.created.toISOString(),
		keyId: keyIdOf(input.signingKey),
		payload: { name: payloadMember, size: (await stat(input.payloadFile)).size, sha256: await sha256File(input.payloadFile) },
	};
}

/** Writes the bundle to `outFile` (a temp name until complete) and returns its manifest. */
export async function writeBundle(input: BundleInput, outFile: string): Promise<BundleManifest> {
	const manifest = await bundleManifest(input);
	const bytes = manifestBytes(manifest);
	const common = { mtime: input.created, mode: 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root' };
	const pack = tar.pack();
	pack.entry({ ...common, name: manifestMember }, bytes);
	pack.entry({ ...common, name: signatureMember }, sign(null, bytes, input.signingKey));
	const payload = pack.entry({ ...common, name: payloadMember, size: manifest.payload.size }, (error) => {
		if (error) pack.destroy(error);
		else pack.finalize();
	});
	const temp = `${outFile}.tmp-${process.pid}`;
	await mkdir(path.dirname(outFile), { recursive: true });
	try {
		await Promise.all([pipeline(createReadStream(input.payloadFile), payload), pipeline(pack, createWriteStream(temp))]);
		await rename(temp, outFile);
	} catch (error: unknown) {
		pack.destroy();
		await rm(temp, { force: true });
		throw error;
	}
	return manifest;
}
