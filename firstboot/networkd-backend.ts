// The appliance's network back end: settings are applied by the appliance service (the same apply() as every
// other change: networkd files, reload, keepalived re-rendered, under the apply lock); addresses and DHCP leases
// are read back from the kernel (`ip -json`). Argument arrays only.
import type { NetworkConfig } from '../services/config/schema.js';
import { CommandError, runCommand } from '../services/os/exec.js';
import { sleep, type Clock } from './clock.js';
import { NetworkApplyError, type NetworkBackend } from './network-backend.js';

const leasePollMs = 500;
const commandTimeoutMs = 15_000;

interface IpAddress {
	readonly family?: string;
	readonly local?: string;
	readonly prefixlen?: number;
	readonly scope?: string;
	readonly dynamic?: boolean;
	readonly valid_life_time?: number;
}
interface IpLink {
	readonly ifname: string;
	readonly addr_info?: readonly IpAddress[];
}

const isGlobal = (address: IpAddress) => address.family === 'inet' && address.scope === 'global' && address.local !== undefined;
const format = (address: IpAddress) => `${address.local}/${address.prefixlen}`;
// A DHCP address has a finite lifetime; static ones are permanent (valid_life_time 4294967295, no "dynamic").
const isLeased = (address: IpAddress) => address.dynamic === true || (address.valid_life_time !== undefined && address.valid_life_time < 4294967295);

export class NetworkdBackend implements NetworkBackend {
	constructor(
		/** The appliance service's network change (ConsoleConfig.applyNetwork). */
		private readonly applySettings: (network: NetworkConfig) => Promise<void>,
		private readonly clock: Clock,
		/** The `ip` program (a wrapper in tests). */
		private readonly ip = 'ip',
	) {}

	async apply(network: NetworkConfig): Promise<void> {
		try {
			await this.applySettings(network);
		} catch (error) {
			throw new NetworkApplyError('apply the network settings', { cause: error });
		}
	}

	async waitForLease(ms: number): Promise<string | null> {
		for (let waited = 0; waited <= ms; waited += leasePollMs) {
			const leased = (await this.ipv4Links()).flatMap((link) => (link.addr_info ?? []).filter((address) => isGlobal(address) && isLeased(address)));
			if (leased[0] !== undefined) return format(leased[0]);
			await sleep(this.clock, leasePollMs);
		}
		return null;
	}

	private async ipv4Links(): Promise<IpLink[]> {
		try {
			// One line for the console: the command's last complaint, not its whole output.
			return JSON.parse(await runCommand(this.ip, ['-json', '-4', 'address', 'show'], { timeoutMs: commandTimeoutMs, tailLines: 1 })) as IpLink[];
		} catch (error) {
			if (error instanceof CommandError) throw new NetworkApplyError('list addresses', { cause: error });
			throw error;
		}
	}

	async addresses(): Promise<string[]> {
		return (await this.ipv4Links()).flatMap((link) => (link.addr_info ?? []).filter(isGlobal).map(format));
	}
}
