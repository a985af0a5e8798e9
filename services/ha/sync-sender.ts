// The config primary's sending of its shared part: asked for after every save (and by "sync now", by the heartbeat
// when the peer differs), never waited for by the save itself. One send at a time; asks that come while one runs
// are folded into one more send after it (which reads the latest saved configuration). A peer that cannot be reached
// is tried again, 1, 2, 5, 10, 30 s later and then every 30 s, the status saying "pending" and why; a peer that
// refuses (a version mismatch, a configuration its daemons refuse) is not tried again until the next ask: "failed",
// with its reason. hold() keeps sends from starting while a drain from the peer is put in force here, so no send
// built before it can reach the peer after it (and undo the peer's drain there).
import { PeerIdentityError, PeerUnreachableError } from './peer-client.js';
import { PeerRefusal } from './peer-protocol.js';

export type SendState = 'idle' | 'sending' | 'retrying' | 'sent' | 'failed';

export interface SenderStatus {
	readonly state: SendState;
	/** Why it is retrying or failed; what was sent. */
	readonly reason: string | null;
	/** The hash the peer acknowledged last (sent), else null. */
	readonly acknowledged: string | null;
	readonly lastAttempt: string | null;
	readonly lastSuccess: string | null;
	/** Attempts since the last ask. */
	readonly attempts: number;
}

export const retryDelaysMs = [1000, 2000, 5000, 10_000, 30_000] as const;

export interface SenderOptions {
	/** Sends once; resolves to the hash the peer acknowledged. */
	readonly send: () => Promise<string>;
	readonly log?: (line: string) => void;
	readonly now?: () => number;
	/** The delays between retries (tests shorten them); the last repeats. */
	readonly delaysMs?: readonly number[];
}

/** Whether an error means "try again later" (the peer is away) rather than "the peer said no". */
export function isTransient(error: unknown): boolean {
	if (error instanceof PeerUnreachableError) return true;
	return error instanceof PeerRefusal && error.reason === 'busy';
}

export class SyncSender {
	#status: SenderStatus = { state: 'idle', reason: null, acknowledged: null, lastAttempt: null, lastSuccess: null, attempts: 0 };
	#again = false;
	#timer: NodeJS.Timeout | null = null;
	#running: Promise<void> | null = null;
	#stopped = false;
	#holds = 0;
	/** A send was asked for while held: it starts when the hold ends. */
	#deferred = false;

	constructor(private readonly options: SenderOptions) {}

	status(): SenderStatus {
		return this.#status;
	}

	/** Asks for a send now (a new save, sync now, the peer differs); returns at once. */
	request(): void {
		if (this.#stopped) return;
		if (this.#timer !== null) {
			clearTimeout(this.#timer);
			this.#timer = null;
		}
		this.#status = { ...this.#status, attempts: 0 };
		if (this.#running !== null) {
			this.#again = true;
			return;
		}
		this.#start();
	}

	/** Resolves when no send runs (tests, shutdown). */
	async settled(): Promise<void> {
		while (this.#running !== null) await this.#running;
	}

	/** Runs `work` once no send runs, with no send starting before it ends (one asked meanwhile starts after). */
	async hold<T>(work: () => Promise<T>): Promise<T> {
		this.#holds++;
		try {
			await this.settled();
			return await work();
		} finally {
			this.#holds--;
			if (this.#holds === 0 && this.#deferred && this.#running === null && !this.#stopped) {
				this.#deferred = false;
				this.#start();
			}
		}
	}

	stop(): void {
		this.#stopped = true;
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}

	/** Forgets everything (unpaired). */
	reset(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
		this.#again = false;
		this.#status = { state: 'idle', reason: null, acknowledged: null, lastAttempt: null, lastSuccess: null, attempts: 0 };
	}

	#start(): void {
		if (this.#holds > 0) {
			this.#deferred = true;
			return;
		}
		this.#running = this.#attempt().finally(() => {
			this.#running = null;
			if (this.#again && !this.#stopped) {
				this.#again = false;
				this.#start();
			}
		});
	}

	async #attempt(): Promise<void> {
		const time = () => new Date((this.options.now ?? Date.now)()).toISOString();
		const attempts = this.#status.attempts + 1;
		this.#status = { ...this.#status, state: 'sending', attempts, lastAttempt: time() };
		try {
			const acknowledged = await this.options.send();
			this.#status = { ...this.#status, state: 'sent', reason: null, acknowledged, lastSuccess: time() };
		} catch (error) {
			const reason = (error as Error).message;
			if (!isTransient(error) || this.#stopped) {
				const kind = error instanceof PeerIdentityError ? 'identity' : error instanceof PeerRefusal ? error.reason : 'error';
				this.options.log?.(`ha: sync refused (${kind}): ${reason}`);
				this.#status = { ...this.#status, state: 'failed', reason };
				return;
			}
			const delays = this.options.delaysMs ?? retryDelaysMs;
			const delay = delays[Math.min(attempts - 1, delays.length - 1)]!;
			this.#status = { ...this.#status, state: 'retrying', reason };
			if (attempts === 1) this.options.log?.(`ha: sync pending, the peer is away: ${reason}`);
			this.#timer = setTimeout(() => {
				this.#timer = null;
				if (this.#running === null) this.#start();
				else this.#again = true;
			}, delay);
		}
	}
}
