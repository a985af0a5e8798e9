// Ed25519 keys of update bundles: the key id, the public keys an appliance trusts (shipped in its image under
// /usr/share/exlb/firmware-keys/*.pem, written by the image build) and the signature check against them.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BundleKeyError, SignatureError } from './bundle-errors.js';
import { signatureMember } from './bundle-manifest.js';

/** Where an appliance finds the public keys it trusts (part of the read-only image, so not under EXLB_ROOT). */
export const trustedKeysDir = '/usr/share/exlb/firmware-keys';

export interface TrustedKey {
	readonly keyId: string;
	readonly key: KeyObject;
	/** The file it was read from (or how it was given). */
	readonly source: string;
}

/** The first 16 hex digits of the SHA-256 of the public key (SPKI DER): names a key in manifests and file names. */
export function keyIdOf(key: KeyObject): string {
	const publicKey = key.type === 'private' ? createPublicKey(key) : key;
	return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** A PEM public key as a TrustedKey; anything but Ed25519 is refused. */
export function trustedKeyFromPem(pem: string, source: string): TrustedKey {
	let key: KeyObject;
	try {
		key = createPublicKey(pem);
	} catch (error: unknown) {
		throw new BundleKeyError('trusted key', source, 'is not a PEM public key', { cause: error });
	}
	if (key.asymmetricKeyType !== 'ed25519') throw new BundleKeyError('trusted key', source, `is an ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
	return { keyId: keyIdOf(key), key, source };
}

/** Every *.pem of `dir`, in name order; none at all is an error (nothing could ever be installed). */
export async function loadTrustedKeys(dir = trustedKeysDir): Promise<TrustedKey[]> {
	let names: string[];
	try {
		names = (await readdir(dir)).filter((name) => name.endsWith('.pem')).sort();
	} catch (error: unknown) {
		throw new BundleKeyError('trusted keys directory', dir, 'cannot be read', { cause: error });
	}
	if (names.length === 0) throw new BundleKeyError('trusted keys directory', dir, 'holds no *.pem public key');
	return Promise.all(names.map(async (name) => trustedKeyFromPem(await readFile(path.join(dir, name), 'utf8'), path.join(dir, name))));
}

/** The trusted key whose signature over `manifest` this is; SignatureError when none. */
export function verifyManifestSignature(manifest: Buffer, signature: Buffer, trusted: readonly TrustedKey[]): TrustedKey {
	for (const candidate of trusted) {
		if (verify(null, manifest, candidate.key, signature)) return candidate;
	}
	const ids = trusted.map((candidate) => candidate.keyId).join(', ') || 'none';
	throw new SignatureError(signatureMember, signature.toString('hex').slice(0, 16), `is not a signature of the manifest by a trusted key (trusted: ${ids})`);
}
