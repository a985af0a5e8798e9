// Certificates the browser tests upload: a .pfx protected by a password, and a .pem whose subject is markup.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

export interface TestCertificate {
	readonly dir: string;
	readonly keyAndCertPem: string;
}

/** A self-signed key and certificate for `commonName` (any printable text, markup included). */
export async function selfSignedCertificate(commonName: string, days = 365): Promise<TestCertificate> {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-ui-cert-'));
	await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
		'-days', String(days), '-subj', `/CN=${commonName.replace(/[/\\]/g, '\\$&')}`]);
	const keyAndCertPem = (await readFile(path.join(dir, 'key.pem'), 'utf8')) + (await readFile(path.join(dir, 'cert.pem'), 'utf8'));
	return { dir, keyAndCertPem };
}

/** The same as a .pfx file (`name`.pfx in its directory) protected by `password`; answers its path. */
export async function pfxOf(certificate: TestCertificate, name: string, password: string): Promise<string> {
	const file = path.join(certificate.dir, `${name}.pfx`);
	await execa('openssl', ['pkcs12', '-export', '-inkey', path.join(certificate.dir, 'key.pem'), '-in', path.join(certificate.dir, 'cert.pem'), '-out', file, '-passout', `pass:${password}`]);
	return file;
}
