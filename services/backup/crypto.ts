// A backup's encryption: AES-256-GCM (authenticated: a wrong password and a changed byte are both refused), the key
// derived from the password with scrypt and a random salt, a random 96-bit IV per file. The parameters travel in the
// file's header, which is also authenticated (additional data); a header asking for an absurd scrypt cost is refused
// before any work is done.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { BackupError } from './errors.js';

export interface EncryptionParams {
	readonly cipher: 'aes-256-gcm';
	readonly kdf: 'scrypt';
	/** scrypt cost (a power of two), block size and parallelism. */
	readonly N: number;
	readonly r: number;
	readonly p: number;
	readonly salt: string;
	readonly iv: string;
}

/** 2^15 × 8: 32 MiB and about a tenth of a second per derivation. */
export const defaultCost = { N: 2 ** 15, r: 8, p: 1 } as const;
const tagBytes = 16;
const bounds = { minN: 2 ** 14, maxN: 2 ** 18, r: 8, maxP: 4 };

function deriveKey(password: string, params: EncryptionParams): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		scrypt(password.normalize('NFC'), Buffer.from(params.salt, 'base64'), 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 },
			(error, key) => (error === null ? resolve(key) : reject(new BackupError('encryption', `cannot derive the key: ${error.message}`, { cause: error }))));
	});
}

/** Refuses parameters this code never writes (another cipher, a cost that would exhaust the appliance). */
export function checkParams(params: EncryptionParams): void {
	if (params.cipher !== 'aes-256-gcm' || params.kdf !== 'scrypt') throw new BackupError('encryption', `${String(params.cipher)} with ${String(params.kdf)} is not a supported encryption (aes-256-gcm with scrypt)`);
	const powerOfTwo = Number.isInteger(Math.log2(params.N));
	if (!powerOfTwo || params.N < bounds.minN || params.N > bounds.maxN) throw new BackupError('encryption.N', `${params.N} is not a scrypt cost between 2^14 and 2^18`);
	if (params.r !== bounds.r) throw new BackupError('encryption.r', `${params.r} is not 8`);
	if (!Number.isInteger(params.p) || params.p < 1 || params.p > bounds.maxP) throw new BackupError('encryption.p', `${params.p} is not between 1 and ${bounds.maxP}`);
	if (Buffer.from(params.salt, 'base64').length !== 16) throw new BackupError('encryption.salt', 'is not 16 bytes of base64');
	if (Buffer.from(params.iv, 'base64').length !== 12) throw new BackupError('encryption.iv', 'is not 12 bytes of base64');
}

/** Fresh parameters for one file (a new salt and IV every time). */
export function newParams(cost: { N: number; r: number; p: number } = defaultCost): EncryptionParams {
	return { cipher: 'aes-256-gcm', kdf: 'scrypt', ...cost, salt: randomBytes(16).toString('base64'), iv: randomBytes(12).toString('base64') };
}

/** The ciphertext followed by its 16-byte tag; `header` is authenticated with it. */
export async function seal(plain: Uint8Array, password: string, params: EncryptionParams, header: Uint8Array): Promise<Buffer> {
	checkParams(params);
	const cipher = createCipheriv('aes-256-gcm', await deriveKey(password, params), Buffer.from(params.iv, 'base64'), { authTagLength: tagBytes });
	cipher.setAAD(header);
	return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** The plaintext, or a refusal when the password is wrong or any byte of the header or the body changed. */
export async function open(sealed: Uint8Array, password: string, params: EncryptionParams, header: Uint8Array): Promise<Buffer> {
	checkParams(params);
	if (sealed.length < tagBytes) throw new BackupError('file', 'is truncated (no room for the authentication tag)');
	const body = sealed.subarray(0, sealed.length - tagBytes);
	const decipher = createDecipheriv('aes-256-gcm', await deriveKey(password, params), Buffer.from(params.iv, 'base64'), { authTagLength: tagBytes });
	decipher.setAAD(header);
	decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
	try {
		return Buffer.concat([decipher.update(body), decipher.final()]);
	} catch (error) {
		throw new BackupError('password', 'the password is wrong, or the file was changed or truncated; nothing was restored', { cause: error });
	}
}
