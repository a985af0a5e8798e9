// Where network settings become real. The agent depends on this interface only; tests inject a fake, the appliance
// uses NetworkdBackend (systemd-networkd files rendered by the shared renderer).
import type { NetworkConfig } from '../services/config/schema.js';

export interface NetworkBackend {
	/** Renders and activates the settings (DHCP or static). Throws a NetworkApplyError naming the step. */
	apply(network: NetworkConfig): Promise<void>;
	/** Waits at most `ms` for a DHCP lease; the leased address as "a.b.c.d/prefix", or null. */
	waitForLease(ms: number): Promise<string | null>;
	/** The appliance's IPv4 addresses now, as "a.b.c.d/prefix". */
	addresses(): Promise<string[]>;
}

export class NetworkApplyError extends Error {
	override readonly name = 'NetworkApplyError';
	constructor(readonly step: string, options: { cause: unknown }) {
		super(`${step}: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
	}
}
