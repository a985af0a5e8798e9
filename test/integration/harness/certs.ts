// Self-signed certificates generated at test time with openssl (never committed).
import path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { execa } from 'execa';

export interface TestCert {
	readonly cert: string;
	readonly key: string;
	/** key + certificate in one file, as haproxy's `crt` and stunnel accept. */
	readonly pem: string;
	readonly commonName: string;
}

export async function selfSignedCert(dir: string, commonName: string, days = 30): Promise<TestCert> {
	const cert = path.join(dir, `${commonName}.crt`);
	const key = path.join(dir, `${commonName}.key`);
	const pem = path.join(dir, `${commonName}.pem`);
	await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', String(days),
		'-subj', `/CN=${commonName}`, '-addext', `subjectAltName=DNS:${commonName}`, '-keyout', key, '-out', cert]);
	await writeFile(pem, (await readFile(key, 'utf8')) + (await readFile(cert, 'utf8')), { mode: 0o600 });
	return { cert, key, pem, commonName };
}
