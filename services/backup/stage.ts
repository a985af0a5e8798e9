// The certificate files of a restore, put in place before the apply (stunnel's check loads them) and taken back if
// it fails: the files they replace are kept in memory and written back, new ones removed. Once the restore is
// saved, files no record names any more are removed (the generated self-signed certificate and keys waiting for a
// CSR's certificate stay).
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ImportedCertificate } from '../certs/import.js';
import { selfSignedCertName } from '../config/schema.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { certificateFile, type RenderEnv } from '../render/env.js';

export interface StagedCertificates {
	/** Puts back the files as they were before staging. */
	undo(): Promise<void>;
}

export async function stageCertificates(env: Pick<RenderEnv, 'certDir'>, certificates: readonly ImportedCertificate[]): Promise<StagedCertificates> {
	const previous = new Map<string, Buffer | null>();
	for (const { info, pem } of certificates) {
		const file = certificateFile(env, info.name);
		previous.set(file, await readFile(file).catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return null;
			throw error;
		}));
		await writeFileAtomic(file, pem, { mode: 0o600 });
	}
	return {
		async undo() {
			for (const [file, content] of previous) {
				if (content === null) await rm(file, { force: true });
				else await writeFileAtomic(file, content, { mode: 0o600 });
			}
		},
	};
}

/** Removes certificate files that no name in `kept` (nor the generated certificate) stands for; keys of pending CSRs stay. */
export async function removeOtherCertificates(env: Pick<RenderEnv, 'certDir'>, kept: readonly string[]): Promise<void> {
	const names = new Set([selfSignedCertName, ...kept]);
	for (const file of await readdir(env.certDir).catch(() => [] as string[])) {
		if (file.endsWith('.key.pem') || !file.endsWith('.pem')) continue;
		if (!names.has(file.slice(0, -'.pem'.length))) await rm(path.join(env.certDir, file), { force: true });
	}
}
