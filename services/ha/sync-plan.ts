// What a sync from the config primary puts in force on the secondary, worked out before anything changes, like a
// restore: this node's configuration with its whole shared part replaced by the primary's (never merged), validated
// whole with this node's own network settings and role, and every certificate it names found in the message with a
// key that matches it. A sync the secondary refuses changes nothing there.
import { certificatesNamed, type RestorePlan } from '../backup/restore-plan.js';
import type { Config } from '../config/schema.js';
import { withShared } from '../config/shared.js';
import { ConfigValidationError, validateConfig } from '../config/validate.js';
import type { SyncRequest } from './peer-protocol.js';

/** A certificate of the sync refused (missing, or its key does not match), named by its field. */
export class SyncCertificateError extends Error {
	override readonly name = 'SyncCertificateError';
	constructor(readonly field: string, message: string, options?: { cause?: unknown }) {
		super(`${field}: ${message}`, options);
	}
}

export async function planSync(request: Pick<SyncRequest, 'shared' | 'certificates'>, running: Config): Promise<RestorePlan> {
	const target = withShared(running, request.shared);
	const result = validateConfig(target);
	if (!result.ok) throw new ConfigValidationError(result.errors, 'the primary\'s configuration with this node\'s network settings');
	const certificates = await certificatesNamed(result.config, request.certificates, 'the sync',
		(field, message, cause) => new SyncCertificateError(field, message, { cause }));
	return { config: { ...result.config, certificates: certificates.map((cert) => cert.info) }, certificates, warnings: result.warnings };
}
