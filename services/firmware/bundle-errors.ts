// Why a firmware update bundle (or its installation) was refused: each class names one check, the field it is
// about and the value it found, so the API and the CLI can say exactly what failed.

/** Shows a refused value in a message: strings quoted, long values cut. */
function shown(value: unknown): string {
	const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Every refusal of a bundle or of its installation. */
export class BundleError extends Error {
	override readonly name: string = 'BundleError';
	constructor(
		/** What was checked: a manifest field, a tar member, the slot... */
		readonly field: string,
		readonly value: unknown,
		readonly problem: string,
		options?: { cause?: unknown },
	) {
		super(`${field} ${shown(value)}: ${problem}`, options);
	}
}

/** The tar itself: not a tar, truncated, a member missing, out of order or extra; a manifest field malformed. */
export class BundleFormatError extends BundleError { override readonly name = 'BundleFormatError'; }

/** The manifest member is larger than any real manifest (refused before it is read). */
export class ManifestTooLargeError extends BundleError { override readonly name = 'ManifestTooLargeError'; }

/** The signature is not one of a trusted key over these exact manifest bytes. */
export class SignatureError extends BundleError { override readonly name = 'SignatureError'; }

/** The bundle is for another product or another kind of appliance (compatible string). */
export class IncompatibleBundleError extends BundleError { override readonly name = 'IncompatibleBundleError'; }

/** The version policy: a downgrade without force, or a version that cannot be compared. */
export class VersionPolicyError extends BundleError { override readonly name = 'VersionPolicyError'; }

/** The payload does not match the signed manifest: size or SHA-256. */
export class PayloadError extends BundleError { override readonly name = 'PayloadError'; }

/** The target slot (too small for the payload, not writable, its read-back differs from the manifest) or the boot state. */
export class SlotError extends BundleError { override readonly name = 'SlotError'; }

/** The trusted public keys (on the appliance) or the signing key (at build time) cannot be used. */
export class BundleKeyError extends BundleError { override readonly name = 'BundleKeyError'; }
