// The VRRP state the API shows, from what is true on the machine: keepalived running, and the VIP really on an
// interface of this node (a state file written by a notify script could say MASTER long after keepalived died).
import type { HaConfig } from '../config/schema.js';
import { tryCommand } from '../os/exec.js';

export interface VrrpStatus {
	readonly role: HaConfig['role'];
	readonly vip: string;
	/** disabled: no HA; MASTER: this node holds the VIP; BACKUP: keepalived runs, the VIP is elsewhere; STOPPED. */
	readonly state: 'disabled' | 'MASTER' | 'BACKUP' | 'STOPPED';
	readonly vipOnThisNode: boolean;
	readonly keepalivedRunning: boolean;
}

interface IpLink {
	readonly addr_info?: readonly { readonly local?: string }[];
}

/** True when `ip -json -4 address show` output lists `vip`. */
export function vipIn(ipJson: string, vip: string): boolean {
	try {
		return (JSON.parse(ipJson) as IpLink[]).some((link) => (link.addr_info ?? []).some((address) => address.local === vip));
	} catch {
		return false;
	}
}

export async function vrrpStatus(ha: HaConfig): Promise<VrrpStatus> {
	const running = (await tryCommand('pidof', ['keepalived'], { timeoutMs: 5000 })).exitCode === 0;
	const addresses = ha.vip === '' ? '' : (await tryCommand('ip', ['-json', '-4', 'address', 'show'], { timeoutMs: 5000 })).stdout;
	const held = ha.vip !== '' && vipIn(addresses, ha.vip);
	const state = ha.role === 'disabled' ? 'disabled' : !running ? 'STOPPED' : held ? 'MASTER' : 'BACKUP';
	return { role: ha.role, vip: ha.vip, state, vipOnThisNode: held, keepalivedRunning: running };
}
