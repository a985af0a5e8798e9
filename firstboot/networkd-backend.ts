// The appliance's network back end: renders the shared networkd files into /run/systemd/network (atomic writes),
// has systemd-networkd reload them, and reads addresses back from the kernel (`ip -json`). Argument arrays only.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { NetworkConfig } from '../services/config/schema.js';
import { writeFileAtomic } from '../services/fs/atomic-write.js';
import { CommandError, runCommand } from '../services/os/exec.js';
import type { AppliancePaths } from '../services/paths.js';
import { renderNetworkd } from '../services/render/networkd.js';
import { sleep, type Clock } from './clock.js';
import { NetworkApplyError, type NetworkBackend } from './network-backend.js';

/** Files this agent owns in the networkd directory (as named by renderNetworkd). */
const ownFile = /^[0-9]+-exlb[A-Za-z0-9.-]*\.(network|netdev)$/;
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
	readonly link_type?: string;
	readonly addr_info?: readonly IpAddress[];
}

async function run(step: string, command: string, args: readonly string[]): Promise<string> {
	try {
		// One line for the console: the command's last complaint, not its whole output.
		return await runCommand(command, args, { timeoutMs: commandTimeoutMs, tailLines: 1 });
	} catch (error) {
		if (error instanceof CommandError) throw new NetworkApplyError(step, { cause: error });
		throw error;
	}
}

const isGlobal = (address: IpAddress) => address.family === 'inet' && address.scope === 'global' && address.local !== undefined;
const format = (address: IpAddress) => `${address.local}/${address.prefixlen}`;
// A DHCP address has a finite lifetime; static ones are permanent (valid_life_time 4294967295, no "dynamic").
const isLeased = (address: IpAddress) => address.dynamic === true || (address.valid_life_time !== undefined && address.valid_life_time < 4294967295);

/** The programs the back end runs (absolute paths in tests). */
export interface NetworkCommands {
	readonly networkctl: string;
	readonly ip: string;
}

export class NetworkdBackend implements NetworkBackend {
	constructor(
		private readonly paths: AppliancePaths,
		private readonly clock: Clock,
		private readonly commands: NetworkCommands = { networkctl: 'networkctl', ip: 'ip' },
	) {}

	async apply(network: NetworkConfig): Promise<void> {
		let files: Record<string, string>;
		try {
			files = renderNetworkd(network);
		} catch (error) {
			throw new NetworkApplyError('render the networkd files', { cause: error });
		}
		const dir = this.paths.networkdDir;
		try {
			for (const [name, content] of Object.entries(files)) await writeFileAtomic(path.join(dir, name), content);
			// Files of a previous configuration (e.g. a VLAN that is gone) must not stay behind.
			for (const name of await readdir(dir)) if (ownFile.test(name) && !(name in files)) await rm(path.join(dir, name), { force: true });
		} catch (error) {
			throw new NetworkApplyError(`write the networkd files in ${dir}`, { cause: error });
		}
		const { networkctl, ip } = this.commands;
		await run('networkctl reload', networkctl, ['reload']);
		// reload re-reads the files; reconfigure makes every Ethernet link take the new settings now.
		const links = JSON.parse(await run('list links', ip, ['-json', 'link', 'show'])) as IpLink[];
		const ethernet = links.filter((link) => link.link_type === 'ether').map((link) => link.ifname);
		if (ethernet.length > 0) await run(`networkctl reconfigure ${ethernet.join(' ')}`, networkctl, ['reconfigure', ...ethernet]);
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
		return JSON.parse(await run('list addresses', this.commands.ip, ['-json', '-4', 'address', 'show'])) as IpLink[];
	}

	async addresses(): Promise<string[]> {
		return (await this.ipv4Links()).flatMap((link) => (link.addr_info ?? []).filter(isGlobal).map(format));
	}
}
