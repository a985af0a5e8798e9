// What a restore will put in force, worked out before anything changes: the manifest's schema version (a newer one
// is refused, an older configuration migrated), the configuration validated whole, every certificate it names found
// in the file with a key that matches it, and this appliance's own network settings and HA role kept unless asked.
import { importPem, type ImportedCertificate } from '../certs/import.js';
import { CertificateError } from '../certs/pem.js';
import { withApplianceIdentity } from '../config/identity.js';
import { configVersion, type Config } from '../config/schema.js';
import { parseConfigText } from '../config/store.js';
import { ConfigValidationError, validateConfig, type ConfigIssue } from '../config/validate.js';
import { BackupError } from './errors.js';
import type { BackupContents, BackupManifest } from './format.js';

export interface RestorePlan {
	readonly config: Config;
	/** The PEM files to put in the cert dir, each checked (key matches certificate). */
	readonly certificates: readonly ImportedCertificate[];
	/** Migration notes and validation warnings. */
	readonly warnings: readonly ConfigIssue[];
}

/**
 * The key and certificate of every certificate `config` names, found among `entries` (a backup's, a sync's) and each
 * checked (the key matches the certificate); `refuse` makes the error naming the field, e.g. certificates.corp.
 */
export async function certificatesNamed(
	config: Config, entries: readonly { readonly name: string; readonly pem: string }[], where: string, refuse: (field: string, message: string, cause?: unknown) => Error,
): Promise<ImportedCertificate[]> {
	const certificates: ImportedCertificate[] = [];
	for (const { name } of config.certificates) {
		const entry = entries.find((cert) => cert.name === name);
		if (entry === undefined) throw refuse(`certificates.${name}`, `is named by the configuration but its key and certificate are not in ${where}`);
		try {
			certificates.push(await importPem(name, entry.pem));
		} catch (error) {
			if (error instanceof CertificateError) throw refuse(`certificates.${name}`, error.message, error);
			throw error;
		}
	}
	return certificates;
}

export async function planRestore(manifest: BackupManifest, contents: BackupContents, current: Config, options: { includeNetwork: boolean }): Promise<RestorePlan> {
	if (manifest.schemaVersion > configVersion) {
		throw new BackupError('manifest.schemaVersion', `${manifest.schemaVersion} was written by a newer exlb (${manifest.firmwareVersion}); this one reads configuration versions 1 to ${configVersion}. Update this appliance first`);
	}
	const parsed = parseConfigText(JSON.stringify(contents.config), 'the backup\'s configuration');
	const certificates = await certificatesNamed(parsed.config, contents.certificates, 'the backup',
		(field, message, cause) => new BackupError(field, message, { cause }));
	const restored = { ...parsed.config, certificates: certificates.map((cert) => cert.info) };
	const target = options.includeNetwork ? restored : withApplianceIdentity(restored, current);
	const result = validateConfig(target);
	if (!result.ok) throw new ConfigValidationError(result.errors, 'the backup\'s configuration with this appliance\'s network settings');
	return { config: result.config, certificates, warnings: [...parsed.warnings, ...result.warnings] };
}
