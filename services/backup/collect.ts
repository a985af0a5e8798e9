// What goes into a backup: the saved configuration, the PEM (key + chain) of every certificate it names, the
// history's metadata, and the manifest describing them. The generated self-signed certificate is left out (the
// appliance makes its own) and so are keys still waiting for a signed certificate (CSRs in progress).
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/schema.js';
import type { RevisionMeta } from '../history/store.js';
import { certificateFile, type RenderEnv } from '../render/env.js';
import { BackupError } from './errors.js';
import type { BackupContents, BackupManifest } from './format.js';

export async function collectBackup(saved: Config, env: Pick<RenderEnv, 'certDir'>, history: readonly RevisionMeta[], firmwareVersion: string, now = new Date()): Promise<{ manifest: BackupManifest; contents: BackupContents }> {
	const certificates = await Promise.all(saved.certificates.map(async ({ name }) => {
		const file = certificateFile(env, name);
		const pem = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
			throw new BackupError(`certificates.${name}`, `its file ${file} cannot be read (${error.code ?? error.message}); import it again or delete it, then save`, { cause: error });
		});
		return { name, pem };
	}));
	return {
		manifest: {
			product: 'exlb', firmwareVersion, schemaVersion: saved.version, created: now.toISOString(), hostname: saved.network.hostname, containsPrivateKeys: certificates.length > 0,
		},
		contents: { config: saved as unknown as Record<string, unknown>, certificates, history: history.map((revision) => ({ ...revision })) },
	};
}

/** exlb-<host>-<UTC time>.exlbbak */
export function backupFileName(manifest: BackupManifest): string {
	return `exlb-${manifest.hostname}-${manifest.created.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.exlbbak`;
}
