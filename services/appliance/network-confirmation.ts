// A network change that moves the appliance's own address is kept only if someone confirms it from the new
// address within the window; otherwise the previous settings come back, so a typo never locks the admin out.
import type { NetworkConfig } from '../config/schema.js';

/** True when the change can move the address the web interface answers on. */
export function movesAddress(before: NetworkConfig, after: NetworkConfig): boolean {
	if (before.source !== after.source || before.vlan !== after.vlan) return true;
	return after.source === 'static' && (before.address !== after.address || before.netmask !== after.netmask);
}

interface Pending {
	readonly previous: NetworkConfig;
	readonly next: NetworkConfig;
	readonly timer: NodeJS.Timeout;
}

export class NetworkConfirmation {
	#pending: Pending | null = null;

	constructor(private readonly windowMs: number, private readonly rollBack: (previous: NetworkConfig) => Promise<void>) {}

	pending(): boolean {
		return this.#pending !== null;
	}

	/** Starts the window; returns the URL to confirm from and the deadline. */
	start(previous: NetworkConfig, next: NetworkConfig, webPort: number): { url: string; deadline: string } {
		const timer = setTimeout(() => {
			const expired = this.#pending;
			this.#pending = null;
			if (expired !== null) void this.rollBack(expired.previous);
		}, this.windowMs);
		timer.unref();
		this.#pending = { previous, next, timer };
		const host = next.source === 'static' ? next.address : '<the address DHCP gives>';
		return { url: `https://${host}:${webPort}/`, deadline: new Date(Date.now() + this.windowMs).toISOString() };
	}

	/** Keeps the change if the request reached the new address (any address but the old one with DHCP). */
	confirm(serverAddress: string): boolean {
		const pending = this.#pending;
		if (pending === null) return false;
		const reachedNew = pending.next.source === 'static' ? serverAddress === pending.next.address : serverAddress !== pending.previous.address;
		if (!reachedNew) return false;
		clearTimeout(pending.timer);
		this.#pending = null;
		return true;
	}
}
