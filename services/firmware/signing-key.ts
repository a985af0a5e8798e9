// The build's bundle-signing key (an Ed25519 private key, PEM PKCS#8): the file EXLB_SIGNING_KEY names, else
// ${XDG_CONFIG_HOME:-~/.config}/exlb/signing-key.pem; when neither exists, a development key is created there once
// (mode 0600) and reused by later builds. It never goes into the repository or the image: only its public half does.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { BundleKeyError } from './bundle-errors.js';
import { keyIdOf } from './bundle-keys.js';

export interface SigningKey {
	readonly privateKey: KeyObject;
	/** The public half as PEM (SPKI): what the image trusts. */
	readonly publicKeyPem: string;
	readonly keyId: string;
	readonly file: string;
	/** Where it came from: named by EXLB_SIGNING_KEY, found in the config directory, or created there now. */
	readonly origin: 'EXLB_SIGNING_KEY' | 'config directory' | 'created';
}

/** ${XDG_CONFIG_HOME:-~/.config}/exlb/signing-key.pem */
export function configSigningKeyFile(env: NodeJS.ProcessEnv = process.env): string {
	const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
	return path.join(base, 'exlb', 'signing-key.pem');
}

function parsePrivateKey(pem: string, field: string, file: string): KeyObject {
	let key: KeyObject;
	try {
		key = createPrivateKey(pem);
	} catch (error: unknown) {
		throw new BundleKeyError(field, file, 'is not a PEM private key', { cause: error });
	}
	if (key.asymmetricKeyType !== 'ed25519') throw new BundleKeyError(field, file, `holds an ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
	return key;
}

function signingKey(privateKey: KeyObject, file: string, origin: SigningKey['origin']): SigningKey {
	const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
	return { privateKey, publicKeyPem, keyId: keyIdOf(privateKey), file, origin };
}

async function readIfPresent(file: string, field: string): Promise<string | undefined> {
	try {
		return await readFile(file, 'utf8');
	} catch (error: unknown) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw new BundleKeyError(field, file, 'cannot be read', { cause: error });
	}
}

/** Loads (or creates, saying so through `say`) the key bundles are signed with. */
export async function loadSigningKey(env: NodeJS.ProcessEnv = process.env, say: (message: string) => void = () => {}): Promise<SigningKey> {
	const named = env.EXLB_SIGNING_KEY;
	if (named) {
		const pem = await readIfPresent(named, 'EXLB_SIGNING_KEY');
		if (pem === undefined) throw new BundleKeyError('EXLB_SIGNING_KEY', named, 'does not exist');
		return signingKey(parsePrivateKey(pem, 'EXLB_SIGNING_KEY', named), named, 'EXLB_SIGNING_KEY');
	}
	const file = configSigningKeyFile(env);
	const pem = await readIfPresent(file, 'signing key');
	if (pem !== undefined) return signingKey(parsePrivateKey(pem, 'signing key', file), file, 'config directory');
	const { privateKey } = generateKeyPairSync('ed25519');
	await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
	await writeFileAtomic(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
	const created = signingKey(privateKey, file, 'created');
	say(
		`no signing key configured (EXLB_SIGNING_KEY): created the development key ${created.keyId} in ${file}; ` +
			'later builds reuse it, and only images built with it accept its bundles',
	);
	return created;
}
