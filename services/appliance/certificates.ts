// The certificates on the appliance as the API shows them (names, SANs, validity, days left, which services use
// them), deletion of an unused one, and key + CSR generation on the appliance: the key is kept in the cert dir
// next to where the signed certificate will go and never leaves the appliance.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openssl } from '../certs/openssl.js';
import { splitPem, describeCertificate } from '../certs/pem.js';
import { offloadCertificateFields } from '../config/cross-checks.js';
import { selfSignedCertName, type Config } from '../config/schema.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { certificateFile, type RenderEnv } from '../render/env.js';
import type { CertificateView } from '../engine/protocol.js';
import { ApplianceProblem } from './problems.js';

const dayMs = 86_400_000;

/** Where the key made with a CSR waits for its signed certificate. */
export function pendingKeyFile(env: Pick<RenderEnv, 'certDir'>, name: string): string {
	return path.join(env.certDir, `${name}.key.pem`);
}

async function readOptional(file: string): Promise<string | null> {
	return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return null;
		throw error;
	});
}

/** DNS and IP names of a certificate's subjectAltName ("DNS:a, IP Address:1.2.3.4" in Node's text). */
export function altNamesOf(certificate: X509Certificate): string[] {
	return (certificate.subjectAltName ?? '').split(', ').filter(Boolean).map((entry) => entry.replace(/^(DNS|IP Address):/, ''));
}

/** Config fields that name `name` (only those whose service terminates TLS on the appliance). */
export function fieldsUsing(config: Config, name: string): string[] {
	return offloadCertificateFields(config).filter((field) => field.name === name).map((field) => field.path);
}

async function view(config: Config, env: RenderEnv, name: string, now: Date): Promise<CertificateView | null> {
	const pem = await readOptional(certificateFile(env, name));
	const leafText = pem === null ? undefined : splitPem(pem).certificates[0];
	if (leafText === undefined) return null;
	const leaf = new X509Certificate(leafText);
	const info = await describeCertificate(name, leafText);
	return {
		...info,
		altNames: altNamesOf(leaf),
		daysLeft: Math.floor((Date.parse(info.notAfter) - now.getTime()) / dayMs),
		usedBy: fieldsUsing(config, name),
		generated: name === selfSignedCertName,
	};
}

export async function listCertificates(config: Config, env: RenderEnv, now = new Date()): Promise<CertificateView[]> {
	const names = [selfSignedCertName, ...config.certificates.map((cert) => cert.name)];
	const views = await Promise.all(names.map((name) => view(config, env, name, now)));
	return views.filter((found): found is CertificateView => found !== null);
}

/** Refuses to delete the generated certificate, an unknown name, or one a service still uses. */
export function deletionProblem(config: Config, name: string): ApplianceProblem | null {
	if (name === selfSignedCertName) return new ApplianceProblem('invalid', `"${name}" is the generated certificate; it is made again when needed`, [{ path: 'name', message: 'reserved' }]);
	if (!config.certificates.some((cert) => cert.name === name)) return new ApplianceProblem('not-found', `no certificate named ${JSON.stringify(name)}`, [{ path: 'name', message: 'unknown certificate' }]);
	const users = fieldsUsing(config, name);
	if (users.length > 0) return new ApplianceProblem('conflict', `certificate ${JSON.stringify(name)} is in use by ${users.join(', ')}`, users.map((field) => ({ path: field, message: `uses ${name}` })));
	return null;
}

/** Makes an RSA key (kept on the appliance) and a CSR for it with the given names. */
export async function makeCsr(env: RenderEnv, name: string, commonName: string, altNames: readonly string[]): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-csr-'));
	try {
		const key = path.join(dir, 'key.pem');
		const sans = [...new Set([commonName, ...altNames])].map((entry) => (/^[0-9.]+$/.test(entry) ? `IP:${entry}` : `DNS:${entry}`)).join(',');
		const csr = await openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', `/CN=${commonName}`, '-addext', `subjectAltName=${sans}`]);
		await writeFileAtomic(pendingKeyFile(env, name), await readFile(key, 'utf8'), { mode: 0o600 });
		return csr;
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** A signed certificate imported without its key is completed with the key made for its CSR, if there is one. */
export async function withPendingKey(env: RenderEnv, name: string, pem: string): Promise<string> {
	if (splitPem(pem).keys.length > 0) return pem;
	const key = await readOptional(pendingKeyFile(env, name));
	return key === null ? pem : `${key}${pem}`;
}
