// The pair as the API and the dashboard show it, worked out from what this node knows (pure: the unit tests give
// every case): its pairing, what the peer last said of itself, how the last send or the last received sync went,
// and this node's own saved shared hash. "in-sync" needs both hashes equal; the rest says what is being waited for.
import type { HaStatus, SyncStateName } from '../engine/ha-operations.js';
import type { HaConfig } from '../config/schema.js';
import type { Pairing } from './pairing-store.js';
import type { PeerState } from './peer-protocol.js';
import type { SenderStatus } from './sync-sender.js';

/** The last heartbeat: whether the peer answered, and what it said of itself when it did. */
export interface PeerView {
	readonly reachable: boolean;
	readonly lastContact: string | null;
	readonly error: string | null;
	readonly state: PeerState | null;
}

/** The secondary's last received sync. */
export interface IncomingSync {
	readonly at: string;
	readonly outcome: 'applied' | 'already' | 'refused';
	readonly reason: string | null;
}

export interface PendingDrain {
	readonly address: string;
	readonly state: 'ready' | 'drain' | 'maint';
	readonly status: 'pending' | 'failed';
	readonly reason: string;
}

export interface StatusFacts {
	readonly fingerprint: string;
	readonly peerPort: number | null;
	readonly offerExpiresAt: number | null;
	readonly pairing: Pairing | null;
	readonly peer: PeerView | null;
	readonly sender: SenderStatus;
	readonly incoming: IncomingSync | null;
	/** This node: its saved shared hash, HA settings, whether it holds the VIP, its versions. */
	readonly localHash: string;
	readonly ha: Pick<HaConfig, 'role' | 'vip'>;
	readonly vipHeld: boolean;
	readonly firmwareVersion: string;
	readonly schemaVersion: number;
	readonly drains: readonly PendingDrain[];
}

const otherRole = { master: 'backup', backup: 'master' } as const;

/** Why the two nodes do not sync: different firmware or configuration formats (null when they match or are unknown). */
export function versionProblem(peer: Pick<PeerState, 'firmwareVersion' | 'schemaVersion'>, own: { firmwareVersion: string; schemaVersion: number }): string | null {
	if (peer.firmwareVersion === own.firmwareVersion && peer.schemaVersion === own.schemaVersion) return null;
	return `the peer runs exlb ${peer.firmwareVersion} (configuration format ${peer.schemaVersion}) and this node exlb ${own.firmwareVersion} (format ${own.schemaVersion}): `
		+ 'the configuration is not synced until both run the same firmware';
}

/** The problem of two nodes given the same VRRP role (null when they differ, or one is disabled). */
export function sameRoleProblem(role: HaConfig['role'], peerRole: HaConfig['role'], peerName: string): string | null {
	if (role === 'disabled' || role !== peerRole) return null;
	return `this node and its peer ${peerName} are both set to ha.role ${role}: set one of them to ${otherRole[role]}`;
}

function syncOf(facts: StatusFacts, pairing: Pairing): NonNullable<HaStatus['sync']> {
	const peerHash = facts.peer?.state?.sharedHash ?? null;
	const primary = pairing.configRole === 'primary';
	const sender = facts.sender;
	const base = {
		localHash: facts.localHash, peerHash,
		revision: primary ? pairing.sync.revision : pairing.sync.appliedRevision,
		lastAttempt: primary ? sender.lastAttempt : facts.incoming?.at ?? null,
		lastSuccess: primary ? sender.lastSuccess : (pairing.sync.appliedAt || null),
	};
	const state = (name: SyncStateName, reason: string | null) => ({ ...base, state: name, reason });
	// A send under way may carry an older view than the peer's: nothing is settled until it is answered.
	if (primary && sender.state === 'sending') return state('pending', `sending revision ${pairing.sync.revision}`);
	if (primary && sender.state === 'retrying') return state('pending', `not taken yet, trying again: ${sender.reason}`);
	if (peerHash !== null && peerHash === facts.localHash) return state('in-sync', null);
	if (primary) {
		if (sender.state === 'failed') return state('failed', sender.reason);
		if (peerHash === null && sender.state === 'sent' && sender.acknowledged === facts.localHash) return state('in-sync', null);
		if (peerHash === null) return state('unknown', facts.peer?.error ?? 'the peer has not answered yet');
		return state('pending', pairing.syncOnSave ? 'the peer has another configuration: sending this one' : 'sync on save is off: "sync now" sends this node\'s configuration');
	}
	if (facts.incoming?.outcome === 'refused') return state('failed', facts.incoming.reason);
	if (peerHash === null) return state('unknown', facts.peer?.error ?? 'the primary has not answered yet');
	return state('pending', 'waiting for the primary to send its configuration');
}

function problemsOf(facts: StatusFacts, pairing: Pairing): string[] {
	const peer = facts.peer?.state;
	if (peer === null || peer === undefined) return [];
	const name = `${peer.hostname} (${pairing.peer.address})`;
	const problems = [
		sameRoleProblem(facts.ha.role, peer.haRole, name),
		versionProblem(peer, facts),
		peer.configRole === pairing.configRole ? `both nodes are config ${peer.configRole} of the pair: unpair both and pair again` : null,
		facts.vipHeld && peer.vipHeld ? `both nodes hold the VIP ${facts.ha.vip} (split brain: they do not hear each other's VRRP advertisements)` : null,
	];
	return problems.filter((problem): problem is string => problem !== null);
}

export function haStatusOf(facts: StatusFacts): HaStatus {
	const { pairing } = facts;
	const view = facts.peer;
	return {
		identity: { fingerprint: facts.fingerprint },
		peerPort: facts.peerPort,
		offer: facts.offerExpiresAt === null ? null : { expiresAt: new Date(facts.offerExpiresAt).toISOString() },
		pairing: pairing === null ? null : {
			peer: { address: pairing.peer.address, port: pairing.peer.port, hostname: pairing.peer.hostname, fingerprint: pairing.peer.fingerprint },
			configRole: pairing.configRole, pairedAt: pairing.pairedAt, syncOnSave: pairing.syncOnSave,
		},
		peer: pairing === null ? null : {
			reachable: view?.reachable ?? false,
			lastContact: view?.lastContact ?? null,
			error: view?.error ?? null,
			hostname: view?.state?.hostname ?? null,
			haRole: view?.state?.haRole ?? null,
			firmwareVersion: view?.state?.firmwareVersion ?? null,
			schemaVersion: view?.state?.schemaVersion ?? null,
			vrrpState: view?.state?.vrrpState ?? null,
			vipHeld: view?.state?.vipHeld ?? null,
		},
		sync: pairing === null ? null : syncOf(facts, pairing),
		drains: [...facts.drains],
		problems: pairing === null ? [] : problemsOf(facts, pairing),
	};
}
