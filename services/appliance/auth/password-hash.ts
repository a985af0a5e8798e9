// Password hashes with scrypt from node:crypto (no native addon), written as `$scrypt$ln=15,r=8,p=3$<salt>$<hash>`
// (base64 without padding): the parameters travel with the hash, so they can be raised later and old hashes still
// verify. N=2^15, r=8, p=3 is one of OWASP's settings equivalent to its scrypt minimum; it takes about 32 MiB and
// 0.4 s, so at most two hashes run at a time (a burst of logins cannot take the appliance's memory).
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParameters {
	/** log2 of the cost N. */
	readonly ln: number;
	readonly r: number;
	readonly p: number;
}

export const currentParameters: ScryptParameters = { ln: 15, r: 8, p: 3 };

const saltBytes = 16;
const keyBytes = 32;
/** Node refuses N=2^15, r=8 under its default 32 MiB limit; 64 MiB leaves room and still bounds a stored hash's cost. */
const maxmem = 64 * 1024 * 1024;
const maxConcurrentHashes = 2;

export class PasswordHashFormatError extends Error {
	override readonly name = 'PasswordHashFormatError';
}

/** Runs at most `limit` tasks at once; the others wait in order. */
export class ConcurrencyLimit {
	#running = 0;
	readonly #waiting: (() => void)[] = [];
	constructor(private readonly limit: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
		this.#running++;
		try {
			return await task();
		} finally {
			this.#running--;
			this.#waiting.shift()?.();
		}
	}
}

const hashing = new ConcurrencyLimit(maxConcurrentHashes);

/** The same password typed on two keyboards or pasted from a manager gives the same bytes (NIST SP 800-63B 5.1.1.2). */
export const normalizePassword = (password: string): string => password.normalize('NFKC');

function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
	const options: ScryptOptions = { N: 2 ** parameters.ln, r: parameters.r, p: parameters.p, maxmem };
	return hashing.run(() => new Promise<Buffer>((resolve, reject) => {
		scrypt(normalizePassword(password), salt, keyBytes, options, (error, key) => (error === null ? resolve(key) : reject(error)));
	}));
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

export function formatHash(parameters: ScryptParameters, salt: Buffer, key: Buffer): string {
	return `$scrypt$ln=${parameters.ln},r=${parameters.r},p=${parameters.p}$${b64(salt)}$${b64(key)}`;
}

const hashPattern = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,88})\$([A-Za-z0-9+/]{16,88})$/;

/** What OpenSSL's scrypt allocates for these parameters (the V and B arrays), checked against maxmem. */
const scryptMemory = (ln: number, r: number, p: number) => 128 * r * (2 ** ln + 2 + p);

export interface ParsedHash {
	readonly parameters: ScryptParameters;
	readonly salt: Buffer;
	readonly key: Buffer;
}

/** Reads a stored hash; refuses parameters whose memory would exceed maxmem (a tampered file cannot exhaust memory). */
export function parseHash(encoded: string): ParsedHash {
	const match = hashPattern.exec(encoded.trim());
	if (match === null) throw new PasswordHashFormatError('not a $scrypt$ln=..,r=..,p=..$salt$hash password hash');
	const [ln, r, p] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
	if (ln < 10 || r < 1 || p < 1 || p > 16 || scryptMemory(ln, r, p) > maxmem) {
		throw new PasswordHashFormatError(`scrypt parameters ln=${ln}, r=${r}, p=${p} are outside what this appliance accepts`);
	}
	return { parameters: { ln, r, p }, salt: Buffer.from(match[4]!, 'base64'), key: Buffer.from(match[5]!, 'base64') };
}

export async function hashPassword(password: string, parameters: ScryptParameters = currentParameters): Promise<string> {
	const salt = randomBytes(saltBytes);
	return formatHash(parameters, salt, await derive(password, salt, parameters));
}

/** True when `password` matches the stored hash (compared in constant time). */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
	const { parameters, salt, key } = parseHash(encoded);
	const candidate = await derive(password, salt, parameters);
	return candidate.length === key.length && timingSafeEqual(candidate, key);
}
