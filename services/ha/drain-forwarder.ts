// A drain or maintenance set on one node is set on its peer too, whichever node it was set on and whatever the
// sync settings say, so a failover never sends new sessions to an Exchange server being patched. Each server's
// latest state is sent (a newer one replaces one still waiting); a peer that is away is tried again (1, 2, 5, 10,
// 30 s, then every 30 s); a refusal is kept for the status until that server's state changes again.
import { isTransient, retryDelaysMs } from './sync-sender.js';
import type { PendingDrain } from './ha-status.js';

interface Entry {
	readonly state: PendingDrain['state'];
	status: PendingDrain['status'];
	reason: string;
	attempts: number;
	timer: NodeJS.Timeout | null;
}

export interface ForwarderOptions {
	readonly send: (address: string, state: PendingDrain['state']) => Promise<void>;
	readonly log?: (line: string) => void;
	readonly delaysMs?: readonly number[];
}

export class DrainForwarder {
	readonly #entries = new Map<string, Entry>();
	#stopped = false;

	constructor(private readonly options: ForwarderOptions) {}

	/** Sends `state` of the server at `address` to the peer (returns at once). */
	forward(address: string, state: PendingDrain['state']): void {
		this.#clear(address);
		const entry: Entry = { state, status: 'pending', reason: 'being sent to the peer', attempts: 0, timer: null };
		this.#entries.set(address, entry);
		void this.#attempt(address, entry);
	}

	/** The states not (yet) set on the peer. */
	list(): PendingDrain[] {
		return [...this.#entries].map(([address, entry]) => ({ address, state: entry.state, status: entry.status, reason: entry.reason }));
	}

	/** Whether a state set here is still on its way to the peer (a sync from the peer must not undo it meanwhile). */
	sending(): boolean {
		return [...this.#entries.values()].some((entry) => entry.status === 'pending');
	}

	/** Forgets everything (unpaired, stopped). */
	reset(): void {
		for (const address of [...this.#entries.keys()]) this.#clear(address);
	}

	stop(): void {
		this.#stopped = true;
		this.reset();
	}

	#clear(address: string): void {
		const entry = this.#entries.get(address);
		if (entry?.timer) clearTimeout(entry.timer);
		this.#entries.delete(address);
	}

	async #attempt(address: string, entry: Entry): Promise<void> {
		entry.attempts++;
		try {
			await this.options.send(address, entry.state);
			if (this.#entries.get(address) === entry) this.#entries.delete(address);
		} catch (error) {
			if (this.#entries.get(address) !== entry) return;
			entry.reason = (error as Error).message;
			if (!isTransient(error) || this.#stopped) {
				entry.status = 'failed';
				this.options.log?.(`ha: the peer did not take ${address} ${entry.state}: ${entry.reason}`);
				return;
			}
			const delays = this.options.delaysMs ?? retryDelaysMs;
			entry.timer = setTimeout(() => {
				entry.timer = null;
				if (this.#entries.get(address) === entry) void this.#attempt(address, entry);
			}, delays[Math.min(entry.attempts - 1, delays.length - 1)]!);
		}
	}
}
