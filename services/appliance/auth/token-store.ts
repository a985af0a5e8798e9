// API tokens for automation (`Authorization: Bearer exlb_...`): made from 256 random bits, shown once when created,
// kept only as their SHA-256 in paths.apiTokensFile (/data/config/api-tokens.json) (written atomically, mode 0600), revocable by id.
// A random 256-bit secret needs no slow hash: nobody can guess it, and the file leaks nothing usable.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ResultOf } from '../../engine/protocol.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import type { AppliancePaths } from '../../paths.js';
import { ApplianceProblem } from '../problems.js';

export const maxTokens = 32;
/** lastUsed is a hint for the admin, not an audit record: written at most this often per token (the data partition is flash on some hosts). */
const lastUsedResolutionMs = 60_000;
const secretPattern = /^exlb_[A-Za-z0-9_-]{43}$/;

const StoredTokenSchema = Type.Object({
	id: Type.String({ pattern: '^[0-9a-f]{16}$' }),
	name: Type.String(),
	created: Type.String(),
	lastUsed: Type.Union([Type.String(), Type.Null()]),
	sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
}, { additionalProperties: false });
const TokenFileSchema = Type.Object({ version: Type.Literal(1), tokens: Type.Array(StoredTokenSchema, { maxItems: maxTokens }) }, { additionalProperties: false });
type StoredToken = Static<typeof StoredTokenSchema>;
type TokenFile = Static<typeof TokenFileSchema>;
const tokenFileCheck = TypeCompiler.Compile(TokenFileSchema);

type TokenView = ResultOf<'tokens.list'>['tokens'][number];
const view = ({ id, name, created, lastUsed }: StoredToken): TokenView => ({ id, name, created, lastUsed });
const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

export class TokenStore {
	/** Every read-modify-write of the file runs after the previous one (verify runs beside queued changes in the engine). */
	#queue: Promise<unknown> = Promise.resolve();

	constructor(readonly file: string, private readonly now: () => Date = () => new Date()) {}

	static of(paths: AppliancePaths, now?: () => Date): TokenStore {
		return new TokenStore(paths.apiTokensFile, now);
	}

	async list(): Promise<TokenView[]> {
		return (await this.#read()).tokens.map(view);
	}

	async create(name: string): Promise<{ token: TokenView; secret: string }> {
		return this.#update(async (file) => {
			if (file.tokens.length >= maxTokens) throw new ApplianceProblem('too-many', `at most ${maxTokens} API tokens; revoke one first`);
			if (file.tokens.some((token) => token.name === name)) {
				throw new ApplianceProblem('conflict', `a token named ${JSON.stringify(name)} exists already`, [{ path: 'name', message: 'is already used by another token' }]);
			}
			const secret = `exlb_${randomBytes(32).toString('base64url')}`;
			const token: StoredToken = { id: randomBytes(8).toString('hex'), name, created: this.now().toISOString(), lastUsed: null, sha256: sha256(secret) };
			return { file: { ...file, tokens: [...file.tokens, token] }, result: { token: view(token), secret } };
		});
	}

	async revoke(id: string): Promise<void> {
		await this.#update(async (file) => {
			if (!file.tokens.some((token) => token.id === id)) throw new ApplianceProblem('not-found', `no API token with id ${JSON.stringify(id)}`);
			return { file: { ...file, tokens: file.tokens.filter((token) => token.id !== id) }, result: undefined };
		});
	}

	/** The token a bearer secret belongs to, or null. */
	async verify(secret: string): Promise<TokenView | null> {
		if (!secretPattern.test(secret)) return null;
		const wanted = Buffer.from(sha256(secret), 'hex');
		const found = (await this.#read()).tokens.find((token) => timingSafeEqual(Buffer.from(token.sha256, 'hex'), wanted));
		if (found === undefined) return null;
		const now = this.now();
		if (found.lastUsed !== null && now.getTime() - Date.parse(found.lastUsed) < lastUsedResolutionMs) return view(found);
		return this.#update(async (file) => {
			// Read again under the queue: a token revoked meanwhile is not brought back.
			if (!file.tokens.some((token) => token.id === found.id)) return { file: null, result: null };
			const tokens = file.tokens.map((token) => (token.id === found.id ? { ...token, lastUsed: now.toISOString() } : token));
			return { file: { ...file, tokens }, result: view({ ...found, lastUsed: now.toISOString() }) };
		});
	}

	/** Reads the file, lets `change` decide, writes what it returns (null: nothing to write), one change at a time. */
	#update<T>(change: (file: TokenFile) => Promise<{ file: TokenFile | null; result: T }>): Promise<T> {
		const run = this.#queue.then(async () => {
			const { file, result } = await change(await this.#read());
			if (file !== null) await writeFileAtomic(this.file, `${JSON.stringify(file, null, '\t')}\n`, { mode: 0o600 });
			return result;
		});
		this.#queue = run.catch(() => undefined);
		return run;
	}

	async #read(): Promise<TokenFile> {
		let text: string;
		try {
			text = await readFile(this.file, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tokens: [] };
			throw error;
		}
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (error) {
			throw new ApplianceProblem('failed', `${this.file} is not JSON`, [], { cause: error });
		}
		if (!tokenFileCheck.Check(value)) throw new ApplianceProblem('failed', `${this.file} is not an API token file`);
		return value;
	}
}
