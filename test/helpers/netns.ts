// A network namespace for tests that run a daemon or a checker against an interface named eth0.
import { execa } from 'execa';

/**
 * A network namespace holding a veth named `eth0` (peer `peer0`; this kernel has no dummy/vlan modules); with
 * `address` (CIDR), lo, eth0 and peer0 are up and eth0 holds the address. The returned function removes the namespace.
 */
export async function namespaceWithEth0(name: string, options: { address?: string } = {}): Promise<() => Promise<void>> {
	await execa('ip', ['netns', 'add', name]);
	await execa('ip', ['-n', name, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'peer0']);
	if (options.address !== undefined) {
		for (const link of ['lo', 'eth0', 'peer0']) await execa('ip', ['-n', name, 'link', 'set', link, 'up']);
		await execa('ip', ['-n', name, 'addr', 'add', options.address, 'dev', 'eth0']);
	}
	return async () => {
		await execa('ip', ['netns', 'del', name], { reject: false });
	};
}
