// API tokens checked by the engine are remembered for a few seconds, so a script polling the API does not cost one
// engine round trip (and one file read) per request. Keyed by the secret's SHA-256, never the secret itself; a
// revocation through this server empties the cache at once (one made elsewhere takes effect within ttlMs).
import { createHash } from 'node:crypto';

export interface CachedToken {
	readonly id: string;
	readonly name: string;
}

export class BearerCache {
	readonly #entries = new Map<string, { token: CachedToken; until: number }>();

	constructor(private readonly ttlMs = 10_000, private readonly maxEntries = 256, private readonly now: () => number = Date.now) {}

	get(secret: string): CachedToken | undefined {
		const key = this.#key(secret);
		const entry = this.#entries.get(key);
		if (entry === undefined) return undefined;
		if (this.now() >= entry.until) {
			this.#entries.delete(key);
			return undefined;
		}
		return entry.token;
	}

	set(secret: string, token: CachedToken): void {
		this.#entries.delete(this.#key(secret));
		this.#entries.set(this.#key(secret), { token, until: this.now() + this.ttlMs });
		while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
	}

	clear(): void {
		this.#entries.clear();
	}

	#key(secret: string): string {
		return createHash('sha256').update(secret).digest('base64');
	}
}
