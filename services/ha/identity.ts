// This node's identity for its HA peer: an Ed25519 key and a self-signed X.509 certificate, made on first use on the
// data partition (never in the image: two appliances from one image never share a key, Kemp CVE-2024-3544's lesson),
// kept root only. Both nodes of a pair pin each other's certificate: the peer channel is mutual TLS (TLS 1.3) where
// each side accepts exactly the certificate it stored at pairing. Its SHA-256 fingerprint is what an admin compares.
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openssl } from '../certs/openssl.js';
import { splitPem } from '../certs/pem.js';
import { writeFileAtomic } from '../fs/atomic-write.js';

export interface NodeIdentity {
	readonly keyPem: string;
	readonly certificatePem: string;
	/** SHA-256 of the certificate, "AB:CD:..." (32 bytes). */
	readonly fingerprint: string;
}

export class IdentityError extends Error {
	override readonly name = 'IdentityError';
}

/** The certificate's SHA-256 fingerprint, as the interface shows it ("AB:CD:..."). */
export function fingerprintOf(certificatePem: string): string {
	return new X509Certificate(certificatePem).fingerprint256;
}

/** A DER certificate (what a TLS socket reports) as PEM. */
export function derToPem(der: Buffer): string {
	const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
	return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function parse(text: string, file: string): NodeIdentity {
	const { keys, certificates } = splitPem(text);
	const [key] = keys;
	const [certificatePem] = certificates;
	if (key === undefined || certificatePem === undefined) throw new IdentityError(`${file} does not hold a private key and a certificate`);
	return { keyPem: key, certificatePem, fingerprint: fingerprintOf(certificatePem) };
}

/** Makes a new identity into `file` (mode 0600). */
export async function makeIdentity(file: string): Promise<NodeIdentity> {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-identity-'));
	try {
		const key = path.join(dir, 'key.pem');
		const cert = path.join(dir, 'cert.pem');
		// A hundred years: the pin is the certificate itself, replaced only by making a new identity and pairing again.
		await openssl(['req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', key, '-out', cert, '-days', '36500', '-subj', `/CN=exlb-node-${randomBytes(6).toString('hex')}`]);
		const text = (await readFile(key, 'utf8')) + (await readFile(cert, 'utf8'));
		await writeFileAtomic(file, text, { mode: 0o600 });
		return parse(text, file);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** This node's identity from `file`, made there on first use. */
export async function ensureIdentity(file: string): Promise<NodeIdentity> {
	const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return null;
		throw new IdentityError(`cannot read ${file}: ${error.message}`, { cause: error });
	});
	return text === null ? makeIdentity(file) : parse(text, file);
}
