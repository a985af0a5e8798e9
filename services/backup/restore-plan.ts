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

export async function planRestore(manifest: BackupManifest, contents: BackupContents, current: Config, options: { includeNetwork: boolean }): Promise<RestorePlan> {
	if (manifest.schemaVersion > configVersion) {
		throw new BackupError('manifest.schemaVersion', `${manifest.schemaVersion} was written by a newer exlb (${manifest.firmwareVersion}); this one reads configuration versions 1 to ${configVersion}. Update this appliance first`);
	}
	const parsed = parseConfigText(JSON.stringify(contents.config), 'the backup\'s configuration');
	const certificates: ImportedCertificate[] = [];
	for (const { name } of parsed.config.certificates) {
		const entry = contents.certificates.find((cert) => cert.name === name);
		if (entry === undefined) throw new BackupError(`certificates.${name}`, 'is named by the configuration but its key and certificate are not in the backup');
		try {
			certificates.push(await importPem(name, entry.pem));
		} catch (error) {
			if (error instanceof CertificateError) throw new BackupError(`certificates.${name}`, error.message, { cause: error });
			throw error;
		}
	}
	const restored = { ...parsed.config, certificates: certificates.map((cert) => cert.info) };
	const target = options.includeNetwork ? restored : withApplianceIdentity(restored, current);
	const result = validateConfig(target);
	if (!result.ok) throw new ConfigValidationError(result.errors, 'the backup\'s configuration with this appliance\'s network settings');
	return { config: result.config, certificates, warnings: [...parsed.warnings, ...result.warnings] };
}
