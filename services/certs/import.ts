// Certificate import: .pem (private key + certificate chain) or .pfx/PKCS#12 with its password. The key must
// match the certificate; the result is one PEM (key, leaf, chain) for stunnel plus the metadata the model keeps.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CertificateInfo } from '../config/schema.js';
import { openssl, OpenSslError } from './openssl.js';
import { splitPem, publicKeyOfKey, publicKeyOfCertificate, describeCertificate, CertificateError } from './pem.js';

export { CertificateError } from './pem.js';

export class PfxPasswordError extends CertificateError {
	override readonly name: string = 'PfxPasswordError';
}

export interface ImportedCertificate {
	readonly info: CertificateInfo;
	/** Private key, leaf certificate, then the rest of the chain. */
	readonly pem: string;
}

export async function importPem(name: string, text: string): Promise<ImportedCertificate> {
	const { keys, certificates } = splitPem(text);
	if (keys.length !== 1) throw new CertificateError(`expected exactly one private key in the PEM, found ${keys.length}`);
	if (certificates.length === 0) throw new CertificateError('no certificate found in the PEM');
	const key = keys[0]!;
	const keyPublic = await publicKeyOfKey(key);
	let leafIndex = -1;
	for (const [index, certificate] of certificates.entries()) {
		if ((await publicKeyOfCertificate(certificate)) === keyPublic) {
			leafIndex = index;
			break;
		}
	}
	if (leafIndex < 0) throw new CertificateError('the private key does not match any certificate in the file');
	const leaf = certificates[leafIndex]!;
	const chain = certificates.filter((_, index) => index !== leafIndex);
	return { info: await describeCertificate(name, leaf), pem: [key, leaf, ...chain].join('') };
}

/** Reads a PKCS#12 file with its password (given to openssl on stdin, never on the command line). */
export async function importPfx(name: string, pfx: Uint8Array, password: string): Promise<ImportedCertificate> {
	if (/[\r\n]/.test(password)) throw new CertificateError('the password may not contain a line break');
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-pfx-'));
	try {
		const file = path.join(dir, 'in.pfx');
		await writeFile(file, pfx, { mode: 0o600 });
		const read = (legacy: boolean) => openssl(['pkcs12', '-in', file, '-nodes', '-passin', 'stdin', ...(legacy ? ['-legacy'] : [])], `${password}\n`);
		let text: string;
		try {
			text = await read(false);
		} catch (error) {
			if (!(error instanceof OpenSslError)) throw error;
			if (/mac verify|invalid password|bad decrypt/i.test(error.stderr)) throw new PfxPasswordError('wrong password for the .pfx file', { cause: error });
			// Old Windows exports use RC2/3DES, which OpenSSL 3 keeps in its legacy provider.
			text = await read(true).catch((legacyError: unknown) => {
				throw new CertificateError(`not a readable PKCS#12 file: ${error.message}`, { cause: legacyError });
			});
		}
		return await importPem(name, text);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
