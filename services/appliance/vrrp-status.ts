// The VRRP state the API shows, cross-checked with what is true on the machine: keepalived's own word (the state its
// notify script last wrote, services/render/keepalived.ts) against the VIP really being on an interface of this node.
// Either alone can lie: a state file can say MASTER long after keepalived died, and a VIP can stay on an interface
// keepalived no longer manages. When they disagree the status says so (`problem`) instead of picking one.
import { readFile } from 'node:fs/promises';
import type { HaConfig } from '../config/schema.js';
import { tryCommand } from '../os/exec.js';

export const keepalivedStates = ['MASTER', 'BACKUP', 'FAULT', 'STOP'] as const;
export type KeepalivedState = (typeof keepalivedStates)[number];

export interface VrrpStatus {
	readonly role: HaConfig['role'];
	readonly vip: string;
	/**
	 * disabled: no HA; MASTER: keepalived is master and the VIP is here; BACKUP: keepalived is backup and the VIP is
	 * elsewhere; FAULT: keepalived gave the VIP away (haproxy down, interface down); STOPPED: keepalived is not running;
	 * INCONSISTENT: keepalived's state and the VIP disagree (see problem).
	 */
	readonly state: 'disabled' | 'MASTER' | 'BACKUP' | 'FAULT' | 'STOPPED' | 'INCONSISTENT';
	readonly vipOnThisNode: boolean;
	readonly keepalivedRunning: boolean;
	/** What keepalived last said (its notify script), null when it has said nothing yet. */
	readonly keepalivedState: KeepalivedState | null;
	/** When keepalived entered that state (ISO 8601), null when unknown. */
	readonly since: string | null;
	/** Why the state is INCONSISTENT (or null). */
	readonly problem: string | null;
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

/** The notify script's line, "STATE SECONDS"; null when absent or not understood. */
export function parseVrrpStateFile(text: string): { state: KeepalivedState; since: string } | null {
	const match = /^([A-Z]+) (\d{1,12})\s*$/.exec(text);
	if (match === null || !(keepalivedStates as readonly string[]).includes(match[1]!)) return null;
	return { state: match[1] as KeepalivedState, since: new Date(Number(match[2]) * 1000).toISOString() };
}

export interface VrrpFacts {
	readonly running: boolean;
	readonly vipHeld: boolean;
	readonly keepalived: { readonly state: KeepalivedState; readonly since: string } | null;
}

/** The reported state from the facts (pure: the unit tests give every combination). */
export function judgeVrrp(ha: HaConfig, facts: VrrpFacts): VrrpStatus {
	const base = {
		role: ha.role, vip: ha.vip, vipOnThisNode: facts.vipHeld, keepalivedRunning: facts.running,
		keepalivedState: facts.keepalived?.state ?? null, since: facts.keepalived?.since ?? null,
	};
	if (ha.role === 'disabled') {
		const problem = facts.vipHeld ? `HA is disabled but ${ha.vip} is on an interface of this node` : null;
		return { ...base, state: problem === null ? 'disabled' : 'INCONSISTENT', problem };
	}
	const claimed = facts.running ? facts.keepalived?.state ?? null : 'STOP';
	if (claimed === 'STOP') {
		const problem = facts.vipHeld ? `keepalived is not running but the VIP ${ha.vip} is still on an interface of this node` : null;
		return { ...base, state: problem === null ? 'STOPPED' : 'INCONSISTENT', problem };
	}
	// Running but silent so far (just started): the VIP alone tells.
	if (claimed === null) return { ...base, state: facts.vipHeld ? 'MASTER' : 'BACKUP', problem: null };
	if (claimed === 'MASTER' && !facts.vipHeld) {
		return { ...base, state: 'INCONSISTENT', problem: `keepalived says MASTER but the VIP ${ha.vip} is not on any interface of this node` };
	}
	if (claimed !== 'MASTER' && facts.vipHeld) {
		return { ...base, state: 'INCONSISTENT', problem: `keepalived says ${claimed} but the VIP ${ha.vip} is on an interface of this node` };
	}
	return { ...base, state: claimed, problem: null };
}

export async function vrrpStatus(ha: HaConfig, stateFile: string): Promise<VrrpStatus> {
	const running = (await tryCommand('pidof', ['keepalived'], { timeoutMs: 5000 })).exitCode === 0;
	const addresses = ha.vip === '' ? '' : (await tryCommand('ip', ['-json', '-4', 'address', 'show'], { timeoutMs: 5000 })).stdout;
	const keepalived = parseVrrpStateFile(await readFile(stateFile, 'utf8').catch(() => ''));
	return judgeVrrp(ha, { running, vipHeld: ha.vip !== '' && vipIn(addresses, ha.vip), keepalived });
}
