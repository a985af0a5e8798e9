// The certificate generated on the appliance for http.hostName until one is imported (never shipped in the image).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { fqdnProblem } from '../config/grammar.js';
import { selfSignedCertName } from '../config/schema.js';
import { openssl } from './openssl.js';
import { describeCertificate, splitPem } from './pem.js';

export async function generateSelfSigned(hostName: string, file: string): Promise<void> {
	const problem = fqdnProblem(hostName);
	if (problem !== null) throw new RangeError(`cannot generate a certificate: ${problem}`);
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-selfsigned-'));
	try {
		const key = path.join(dir, 'key.pem');
		const cert = path.join(dir, 'cert.pem');
		await openssl([
			'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '825',
			'-subj', `/CN=${hostName}`, '-addext', `subjectAltName=DNS:${hostName}`,
		]);
		await writeFileAtomic(file, (await readFile(key, 'utf8')) + (await readFile(cert, 'utf8')), { mode: 0o600 });
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** Generates the self-signed certificate when it is missing or was made for another host name. Returns true if generated. */
export async function ensureSelfSigned(hostName: string, file: string): Promise<boolean> {
	const existing = await readFile(file, 'utf8').catch(() => null);
	if (existing !== null) {
		const leaf = splitPem(existing).certificates[0];
		if (leaf !== undefined && (await describeCertificate(selfSignedCertName, leaf)).commonName === hostName) return false;
	}
	await generateSelfSigned(hostName, file);
	return true;
}
