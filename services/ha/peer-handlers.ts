// What this node does when its peer calls (the peer server's routes). Every route but the pairing itself answers
// only the pinned peer: a node that is not paired refuses everything ("not-paired"), a paired one refuses any other
// certificate ("wrong-identity"); each refusal is logged and audited and changes nothing. A sync is taken only by the
// config secondary, only from the same firmware and configuration format, only if its revision is not older than
// the last applied one (a late or replayed message cannot undo a newer one), and is applied like a restore.
import type { ApplianceService } from '../appliance/service.js';
import { problemOf } from '../appliance/problems.js';
import { configVersion, defaultConfig, type Config } from '../config/schema.js';
import { sharedHash } from '../config/shared.js';
import { loadRunningConfig, loadSavedConfig } from '../config/store.js';
import type { Actor } from '../engine/protocol.js';
import type { AppliancePaths } from '../paths.js';
import { sameRoleProblem, versionProblem, type IncomingSync } from './ha-status.js';
import type { NodeIdentity } from './identity.js';
import { pairingProof, type PairingOffers } from './pairing-code.js';
import { emptySyncState, type Pairing, type PairingStore } from './pairing-store.js';
import { PeerRefusal, type PeerState, type RefusalReason, type SyncRequest, type SyncResponse } from './peer-protocol.js';
import type { PeerCaller, PeerHandlers } from './peer-server.js';
import { planSync, SyncCertificateError } from './sync-plan.js';

/** What the handlers need of the HA service around them. */
export interface PeerHandlerContext {
	readonly paths: AppliancePaths;
	readonly store: PairingStore;
	readonly offers: PairingOffers;
	readonly appliance: ApplianceService;
	readonly firmwareVersion: string;
	identity(): Promise<NodeIdentity>;
	/** This node as its peer sees it (the heartbeat's answer). */
	localState(pairing: Pairing): Promise<PeerState>;
	/** Audited refusals and peer-made changes (never values). */
	audit(actor: Actor, operation: string, outcome: 'done' | 'refused', message?: string): Promise<void>;
	log(line: string): void;
	paired(pairing: Pairing): void;
	unpaired(): void;
	/** The primary: send the shared part now (asked by the secondary). */
	requestSend(): void;
	/** Sets an Exchange server's state here with the drain's follow-through (the engine's servers.setState). */
	setServerState(address: string, state: 'ready' | 'drain' | 'maint', actor: Actor): Promise<void>;
	/** Whether server states set here are still on their way to the peer. */
	drainsSending(): boolean;
	/** A sync came from the primary: how it went, and (unless it was an older revision) the hash the primary has now. */
	received(incoming: IncomingSync, primaryHash: string | null): void;
}

export const peerActor = (caller: PeerCaller, hostname = 'unknown'): Actor => ({ user: `peer:${hostname}`.slice(0, 64), address: caller.address, via: 'peer' });

/** The shared hash of what this node has saved (factory settings when nothing is). */
export async function savedSharedHash(paths: AppliancePaths): Promise<string> {
	return sharedHash((await loadSavedConfig(paths)) ?? defaultConfig());
}

/** A refused change of the appliance service as the peer's refusal (its fields kept). */
function refusalOf(error: unknown): PeerRefusal {
	if (error instanceof PeerRefusal) return error;
	if (error instanceof SyncCertificateError) return new PeerRefusal('invalid', `the primary's configuration was refused here: ${error.message}`, [{ path: error.field, message: error.message }]);
	const problem = problemOf(error);
	const reasons: Partial<Record<typeof problem.kind, RefusalReason>> = { invalid: 'invalid', 'refused-by-daemon': 'refused-by-daemon', busy: 'busy', conflict: 'busy' };
	const details = (problem.errors ?? []).map((entry) => `${entry.path ? `${entry.path}: ` : ''}${entry.message}`).join('; ');
	return new PeerRefusal(reasons[problem.kind] ?? 'failed', `${problem.message}${details ? ` (${details})` : ''}`, problem.errors);
}

export function peerHandlers(context: PeerHandlerContext): PeerHandlers {
	let receiving: Promise<unknown> = Promise.resolve();
	/** Incoming syncs one after the other (a revision is checked and applied before the next is looked at). */
	const serially = <T>(work: () => Promise<T>): Promise<T> => {
		const next = receiving.then(work, work);
		receiving = next.catch(() => {});
		return next;
	};

	const refuse = async (caller: PeerCaller, operation: string, refusal: PeerRefusal, hostname?: string): Promise<never> => {
		context.log(`ha: refused ${operation} from ${caller.address} (certificate ${caller.fingerprint}): ${refusal.message}`);
		await context.audit(peerActor(caller, hostname), `ha.peer.${operation}`, 'refused', refusal.message);
		throw refusal;
	};

	/** The pairing, when `caller` is its pinned peer; a logged, audited refusal otherwise. */
	const gate = async (caller: PeerCaller, operation: string): Promise<Pairing> => {
		const pairing = await context.store.read();
		if (pairing === null) return refuse(caller, operation, new PeerRefusal('not-paired', 'this node is not paired with any node'));
		if (caller.fingerprint !== pairing.peer.fingerprint) {
			return refuse(caller, operation, new PeerRefusal('wrong-identity',
				`this node is paired with ${pairing.peer.hostname} (certificate ${pairing.peer.fingerprint}), not with the node presenting ${caller.fingerprint}`));
		}
		// The pinned peer calling from another address moved (a new network.address): call it back there.
		if (caller.address !== pairing.peer.address && /^\d{1,3}(\.\d{1,3}){3}$/.test(caller.address)) {
			context.log(`ha: ${pairing.peer.hostname} now calls from ${caller.address} (was ${pairing.peer.address}); calling it there`);
			return (await context.store.update((current) => ({ ...current, peer: { ...current.peer, address: caller.address } }))) ?? pairing;
		}
		return pairing;
	};

	const receive = async (body: SyncRequest, caller: PeerCaller): Promise<SyncResponse> => {
		const pairing = await gate(caller, 'sync');
		const actor = peerActor(caller, pairing.peer.hostname);
		const refused = (refusal: PeerRefusal, current = true) => {
			// busy: tried again by the primary in a moment; not a failure of the pair.
			if (refusal.reason !== 'busy') context.received({ at: new Date().toISOString(), outcome: 'refused', reason: refusal.message }, current ? body.hash : null);
			return refuse(caller, 'sync', refusal, pairing.peer.hostname);
		};
		if (pairing.configRole !== 'secondary') {
			return refused(new PeerRefusal('not-secondary', `this node is the config primary of the pair: it sends its configuration to ${pairing.peer.hostname}, it does not take one from it`));
		}
		const mismatch = versionProblem(body, { firmwareVersion: context.firmwareVersion, schemaVersion: configVersion });
		if (mismatch !== null) return refused(new PeerRefusal('version-mismatch', mismatch));
		if (sharedHash(body.shared) !== body.hash) return refused(new PeerRefusal('malformed', 'the hash sent does not match the configuration sent'));
		const applied = pairing.sync;
		if (body.revision < applied.appliedRevision || (body.revision === applied.appliedRevision && body.hash !== applied.appliedHash)) {
			return refused(new PeerRefusal('stale-revision', `revision ${body.revision} is not newer than revision ${applied.appliedRevision} applied here: a late or repeated message, not applied`), false);
		}
		const record = async (hash: string): Promise<void> => {
			await context.store.update((current) => ({ ...current, sync: { ...current.sync, appliedRevision: body.revision, appliedHash: hash, appliedAt: new Date().toISOString() } }));
		};
		if (await savedSharedHash(context.paths) === body.hash) {
			await record(body.hash);
			context.received({ at: new Date().toISOString(), outcome: 'already', reason: null }, body.hash);
			return { outcome: 'already', revision: body.revision, hash: body.hash };
		}
		let config: Config;
		try {
			({ config } = await context.appliance.applySync(async (running) => {
				// Under the apply lock: a drain set here and not yet taken by the primary is not undone by its older view.
				if (context.drainsSending()) throw new PeerRefusal('busy', 'this node has server states the primary has not taken yet: try again in a moment');
				return planSync(body, running);
			}, actor, `from ${body.hostname}, revision ${body.revision}`));
		} catch (error) {
			return refused(refusalOf(error));
		}
		const hash = sharedHash(config);
		await record(hash);
		context.received({ at: new Date().toISOString(), outcome: 'applied', reason: null }, body.hash);
		context.log(`ha: applied revision ${body.revision} from ${body.hostname} (${hash.slice(0, 12)})`);
		return { outcome: 'applied', revision: body.revision, hash };
	};

	return {
		pair: async (body, caller) => {
			const identity = await context.identity();
			const existing = await context.store.read();
			if (existing !== null) {
				return refuse(caller, 'pair', new PeerRefusal('already-paired', `this node is already paired with ${existing.peer.hostname} (${existing.peer.address}): unpair it there first`), body.hostname);
			}
			const check = context.offers.check(body.proof, caller.fingerprint, identity.fingerprint);
			if (!check.ok) return refuse(caller, 'pair', new PeerRefusal(check.reason, check.message), body.hostname);
			const running = await loadRunningConfig(context.paths);
			const sameRole = sameRoleProblem(running.ha.role, body.haRole, `${body.hostname} (${caller.address})`);
			if (sameRole !== null) return refuse(caller, 'pair', new PeerRefusal('same-role', `${sameRole}, then pair again with a new code`), body.hostname);
			const pairing: Pairing = {
				// The address the primary's request came from: the one that reaches it (its peer channel's, when bound to one).
				peer: { address: caller.address, port: body.port, hostname: body.hostname, fingerprint: caller.fingerprint, certificate: caller.certificatePem },
				configRole: 'secondary', pairedAt: new Date().toISOString(), syncOnSave: true, sync: emptySyncState,
			};
			await context.store.write(pairing);
			await context.audit(peerActor(caller, body.hostname), 'ha.peer.pair', 'done');
			context.log(`ha: paired with ${body.hostname} (${caller.address}, certificate ${caller.fingerprint}), the config primary`);
			context.paired(pairing);
			return {
				proof: pairingProof(check.code!, 'response', caller.fingerprint, identity.fingerprint),
				hostname: running.network.hostname, haRole: running.ha.role, firmwareVersion: context.firmwareVersion, schemaVersion: configVersion,
			};
		},
		unpair: async (_body, caller) => {
			const pairing = await gate(caller, 'unpair');
			await context.store.remove();
			context.unpaired();
			await context.audit(peerActor(caller, pairing.peer.hostname), 'ha.peer.unpair', 'done');
			context.log(`ha: ${pairing.peer.hostname} (${pairing.peer.address}) unpaired the pair`);
			return {};
		},
		state: async (_body, caller) => context.localState(await gate(caller, 'state')),
		sync: (body, caller) => serially(() => receive(body, caller)),
		syncRequest: async (_body, caller) => {
			const pairing = await gate(caller, 'syncRequest');
			if (pairing.configRole !== 'primary') {
				return refuse(caller, 'syncRequest', new PeerRefusal('not-primary', 'this node is the config secondary: the configuration is sent by the primary'), pairing.peer.hostname);
			}
			context.requestSend();
			return {};
		},
		serverState: async (body, caller) => {
			const pairing = await gate(caller, 'serverState');
			const running = await loadRunningConfig(context.paths);
			if (!running.casServers.includes(body.address) && !running.hubServers.includes(body.address)) {
				return refuse(caller, 'serverState', new PeerRefusal('unknown-server', `${body.address} is not a CAS or HUB server of this node`), pairing.peer.hostname);
			}
			if ((running.serverStates[body.address] ?? 'ready') === body.state) return {};
			try {
				await context.setServerState(body.address, body.state, peerActor(caller, pairing.peer.hostname));
			} catch (error) {
				return refuse(caller, 'serverState', refusalOf(error), pairing.peer.hostname);
			}
			return {};
		},
	};
}
