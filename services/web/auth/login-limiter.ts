// Failed password checks slow down the next ones (ASVS 2.2.1): per account and per source address, a few free
// failures, then a delay that doubles up to a ceiling, refused meanwhile with 429 and Retry-After. Never more than
// maxFailuresPerWindow failures in any hour per key, and never a lock that does not end by itself (the only admin
// must always get back in). An attempt counts as a failure from its start, so parallel guesses cannot slip through
// before the first one is judged; a success clears the keys it was made with.

export interface LoginLimits {
	/** Failures in the window that cost no delay (typos). */
	readonly freeFailures: number;
	readonly firstDelayMs: number;
	readonly maxDelayMs: number;
	readonly windowMs: number;
	readonly maxFailuresPerWindow: number;
	/** Keys remembered at most (addresses come and go); the least recently touched is forgotten first. */
	readonly maxKeys: number;
}

export const defaultLoginLimits: LoginLimits = {
	freeFailures: 3,
	firstDelayMs: 1000,
	maxDelayMs: 60_000,
	windowMs: 3600_000,
	maxFailuresPerWindow: 100,
	maxKeys: 10_000,
};

interface KeyState {
	/** Epoch ms of each failure still inside the window, oldest first. */
	failures: number[];
	blockedUntil: number;
}

export type LoginAttempt =
	| { readonly allowed: false; readonly retryAfterSeconds: number }
	| { readonly allowed: true; readonly settle: (outcome: 'success' | 'failure' | 'no-answer') => void };

/** The keys one attempt is counted under: the account and the source address (an IPv6 client by its /64). */
export function loginKeys(username: string, address: string): string[] {
	const v6 = address.includes(':') ? address.split(':').slice(0, 4).join(':') : null;
	return [`user:${username.toLowerCase()}`, `address:${v6 === null ? address : `${v6}::/64`}`];
}

export class LoginLimiter {
	readonly #keys = new Map<string, KeyState>();

	constructor(private readonly limits: LoginLimits = defaultLoginLimits, private readonly now: () => number = Date.now) {}

	/** Asks to try a password under these keys: refused while any key is in its delay, else counted as a failure until settled. */
	begin(keys: readonly string[]): LoginAttempt {
		const now = this.now();
		const waitMs = Math.max(0, ...keys.map((key) => this.#state(key, now).blockedUntil - now));
		if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
		const blockedBefore = keys.map((key) => this.#state(key, now).blockedUntil);
		for (const key of keys) this.#recordFailure(key, now);
		let settled = false;
		return {
			allowed: true,
			settle: (outcome) => {
				if (settled) return;
				settled = true;
				if (outcome === 'success') for (const key of keys) this.#keys.delete(key);
				else if (outcome === 'no-answer') keys.forEach((key, index) => this.#forget(key, now, blockedBefore[index]!));
			},
		};
	}

	/** Failures counted for a key in the current window (tests and the log). */
	failures(key: string): number {
		return this.#state(key, this.now()).failures.length;
	}

	#state(key: string, now: number): KeyState {
		const state = this.#keys.get(key) ?? { failures: [], blockedUntil: 0 };
		while (state.failures.length > 0 && state.failures[0]! <= now - this.limits.windowMs) state.failures.shift();
		return state;
	}

	#recordFailure(key: string, now: number): void {
		const state = this.#state(key, now);
		state.failures.push(now);
		const { freeFailures, firstDelayMs, maxDelayMs, windowMs, maxFailuresPerWindow } = this.limits;
		const beyondFree = state.failures.length - freeFailures;
		const delay = beyondFree <= 0 ? 0 : Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(beyondFree - 1, 30));
		state.blockedUntil = now + delay;
		// The hourly cap: once reached, the next try waits until the oldest failure leaves the window.
		if (state.failures.length >= maxFailuresPerWindow) state.blockedUntil = Math.max(state.blockedUntil, state.failures[0]! + windowMs);
		this.#touch(key, state);
	}

	/** Takes back a failure counted for an attempt that got no answer (the engine was unreachable), and its delay. */
	#forget(key: string, at: number, blockedBefore: number): void {
		const state = this.#keys.get(key);
		if (state === undefined) return;
		const index = state.failures.lastIndexOf(at);
		if (index >= 0) state.failures.splice(index, 1);
		state.blockedUntil = blockedBefore;
		if (state.failures.length === 0) this.#keys.delete(key);
	}

	#touch(key: string, state: KeyState): void {
		this.#keys.delete(key);
		this.#keys.set(key, state);
		while (this.#keys.size > this.limits.maxKeys) this.#keys.delete(this.#keys.keys().next().value!);
	}
}
