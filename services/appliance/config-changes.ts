// Changes to the running configuration as one transaction each: the apply lock is held from reading the running
// configuration to recording the new one, so two changes can never silently undo each other (the second is
// refused while the first runs), and a certificate file is only left in place if the apply that uses it succeeded.
// The first piece of the appliance service every front end (CLI, console, web API) is to call.
import { readFile, rm } from 'node:fs/promises';
import { applyHoldingLock, withApplyLock, type ApplyOptions, type ApplyResult } from '../apply/apply.js';
import type { CertificateInfo, Config } from '../config/schema.js';
import { loadRunningConfig } from '../config/store.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { certificateFile } from '../render/env.js';

export interface ChangeResult extends ApplyResult {
	/** The configuration now running. */
	readonly config: Config;
}

/** Reads the running configuration, lets `change` edit it, and applies the result, all under the apply lock. */
export async function changeRunningConfig(options: ApplyOptions, change: (running: Config) => Config | Promise<Config>): Promise<ChangeResult> {
	return withApplyLock(options.paths, () => changeHoldingLock(options, change));
}

async function changeHoldingLock(options: ApplyOptions, change: (running: Config) => Config | Promise<Config>): Promise<ChangeResult> {
	const config = await change(await loadRunningConfig(options.paths));
	return { ...(await applyHoldingLock(config, options)), config };
}

export interface ImportedCertificate {
	/** Private key and certificate chain, as stunnel reads them. */
	readonly pem: string;
	readonly info: CertificateInfo;
}

/**
 * Installs a certificate under its name and records it in the running configuration. The PEM has to be in place
 * while the daemons' checks run (stunnel loads it), so it is written inside the transaction and put back as it was
 * (the previous file, or none) when the apply is refused or fails.
 */
export async function importCertificate(options: ApplyOptions, certificate: ImportedCertificate): Promise<ChangeResult> {
	const file = certificateFile(options.env, certificate.info.name);
	return withApplyLock(options.paths, async () => {
		const previous = await readFile(file).catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return null;
			throw error;
		});
		await writeFileAtomic(file, certificate.pem, { mode: 0o600 });
		try {
			return await changeHoldingLock(options, (running) => ({
				...running,
				certificates: [...running.certificates.filter((cert) => cert.name !== certificate.info.name), certificate.info],
			}));
		} catch (error) {
			if (previous === null) await rm(file, { force: true });
			else await writeFileAtomic(file, previous, { mode: 0o600 });
			throw error;
		}
	});
}
