// The manifest of an update bundle: the tar's first member, signed as its exact bytes (manifest.sig follows it).
// It binds the payload (the system squashfs) by size and SHA-256, so the payload itself needs no signature.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { BundleFormatError } from './bundle-errors.js';
import { isSemanticVersion } from './bundle-version.js';

/** The kind of appliance a bundle is for: the CPU architecture and the disk layout generation (slot sizes, partitions). */
export const applianceCompatible = 'exlb-x86_64-v1';
export const bundleProduct = 'exlb';

/** The tar members, in this order. */
export const manifestMember = 'manifest.json';
export const signatureMember = 'manifest.sig';
export const payloadMember = 'system.squashfs';

/** A real manifest is a few hundred bytes; a larger first member is refused before it is read. */
export const maxManifestBytes = 64 * 1024;
/** A raw Ed25519 signature. */
export const signatureBytes = 64;

const ManifestSchema = Type.Object({
	format: Type.Literal(1),
	product: Type.String({ minLength: 1, maxLength: 64 }),
	compatible: Type.String({ minLength: 1, maxLength: 64 }),
	version: Type.String({ maxLength: 64 }),
	created: Type.String({ maxLength: 64 }),
	/** The signing key's id (bundle-keys.ts keyId), to tell which key signed; verification tries every trusted key. */
	keyId: Type.String({ pattern: '^[0-9a-f]{16}$' }),
	payload: Type.Object({
		name: Type.Literal(payloadMember),
		size: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
		sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
	}),
});

export type BundleManifest = Static<typeof ManifestSchema>;

/** The manifest's bytes as written and signed. */
export function manifestBytes(manifest: BundleManifest): Buffer {
	return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
}

/** Parses the (already signature-checked) manifest bytes; the first problem becomes a BundleFormatError naming the field. */
export function parseManifest(bytes: Buffer): BundleManifest {
	let raw: unknown;
	try {
		raw = JSON.parse(bytes.toString('utf8'));
	} catch (error: unknown) {
		throw new BundleFormatError(manifestMember, `${bytes.length} bytes`, 'is not JSON', { cause: error });
	}
	const first = Value.Errors(ManifestSchema, raw).First();
	if (first !== undefined) {
		throw new BundleFormatError(`manifest ${first.path.replace(/^\//, '').replaceAll('/', '.') || '(root)'}`, first.value, `is invalid: ${first.message}`);
	}
	const manifest = raw as BundleManifest;
	if (!isSemanticVersion(manifest.version)) throw new BundleFormatError('manifest version', manifest.version, 'is not a semantic version (X.Y.Z)');
	return manifest;
}
