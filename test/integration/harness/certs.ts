// Self-signed certificates for the fake servers, generated at test time by the engine's own generator
// (one PEM file with key and certificate, which nginx, dovecot, postfix and haproxy all read).
import path from 'node:path';
import { generateSelfSigned } from '../../../services/certs/self-signed.js';

export interface TestCert {
	/** key + certificate in one PEM file. */
	readonly pem: string;
	readonly commonName: string;
}

export async function selfSignedCert(dir: string, commonName: string): Promise<TestCert> {
	const pem = path.join(dir, `${commonName}.pem`);
	await generateSelfSigned(commonName, pem);
	return { pem, commonName };
}
