// A self-signed certificate with its key in one PEM (key first, as the appliance imports it), made by openssl in a
// temp dir. `bits` below 2048 makes one the daemons refuse (OpenSSL's default security level) though it parses.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

export async function keyAndCertificate(commonName: string, options: { bits?: number; days?: number } = {}): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-test-cert-'));
	const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
	await execa('openssl', [
		'req', '-x509', '-newkey', `rsa:${options.bits ?? 2048}`, '-nodes', '-keyout', key, '-out', cert, '-days', String(options.days ?? 30),
		'-subj', `/CN=${commonName}`, '-addext', `subjectAltName=DNS:${commonName}`,
	]);
	return (await readFile(key, 'utf8')) + (await readFile(cert, 'utf8'));
}
