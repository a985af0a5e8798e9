// Splits PEM text into its private key and certificates, and reads what the model keeps about a certificate.
import { openssl } from './openssl.js';
import type { CertificateInfo } from '../config/schema.js';

export class CertificateError extends Error {
	override readonly name: string = 'CertificateError';
}

const block = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

export interface PemParts {
	readonly keys: string[];
	readonly certificates: string[];
}

export function splitPem(text: string): PemParts {
	const keys: string[] = [];
	const certificates: string[] = [];
	for (const match of text.matchAll(block)) {
		if (match[1] === 'CERTIFICATE') certificates.push(`${match[0]}\n`);
		else if (match[1]!.endsWith('PRIVATE KEY')) keys.push(`${match[0]}\n`);
	}
	return { keys, certificates };
}

export async function publicKeyOfKey(key: string): Promise<string> {
	if (/ENCRYPTED PRIVATE KEY/.test(key)) {
		throw new CertificateError('the private key is encrypted: export it without a passphrase, or import a .pfx with its password');
	}
	return openssl(['pkey', '-pubout'], key);
}

export async function publicKeyOfCertificate(certificate: string): Promise<string> {
	return openssl(['x509', '-noout', '-pubkey'], certificate);
}

function field(output: string, name: string): string {
	const match = new RegExp(`^${name}=\\s*(.*)$`, 'm').exec(output);
	if (match === null) throw new CertificateError(`openssl did not report the ${name} of the certificate`);
	return match[1]!.trim();
}

/** CN, validity, self-signed and fingerprint of a PEM certificate (the leaf). */
export async function describeCertificate(name: string, certificate: string): Promise<CertificateInfo> {
	const fields = ['-subject', '-issuer', '-startdate', '-enddate', '-fingerprint', '-sha256', '-nameopt', 'RFC2253'];
	const output = await openssl(['x509', '-noout', ...fields], certificate);
	const subject = field(output, 'subject');
	const issuer = field(output, 'issuer');
	const commonName = (/(?:^|,)CN=((?:\\,|[^,])*)/.exec(subject)?.[1] ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 256);
	return {
		name,
		commonName,
		notBefore: new Date(field(output, 'notBefore')).toISOString(),
		notAfter: new Date(field(output, 'notAfter')).toISOString(),
		selfSigned: subject === issuer,
		fingerprint: field(output, 'sha256 Fingerprint').toUpperCase(),
	};
}
