// The HA pair, in the engine: pairing (an offer on the node to be the config secondary, the code typed on the
// primary), the peer channel's server, the primary's sending of its shared configuration after every save (never
// waited for by the save), the drain states set on either node set on both, a heartbeat that keeps the peer's state
// (reachable, its role, its shared hash: in sync or not) and sends again when the peer differs, and the status.
// The appliance service hears of nothing of this but its hooks (services/appliance/hooks.ts).
import { readFile } from 'node:fs/promises';
import type { ApplianceHooks } from '../appliance/hooks.js';
import { ApplianceProblem } from '../appliance/problems.js';
import type { ApplianceService } from '../appliance/service.js';
import type { AuditLog } from '../appliance/audit-log.js';
import type { VrrpStatus } from '../appliance/vrrp-status.js';
import { configVersion, defaultConfig, type Config } from '../config/schema.js';
import { sharedHash, sharedPart } from '../config/shared.js';
import { loadRunningConfig, loadSavedConfig } from '../config/store.js';
import type { HaStatus } from '../engine/ha-operations.js';
import type { Actor, ParamsOf, ResultOf } from '../engine/protocol.js';
import type { AppliancePaths } from '../paths.js';
import { certificateFile, type RenderEnv } from '../render/env.js';
import { DrainForwarder } from './drain-forwarder.js';
import { haStatusOf, sameRoleProblem, type IncomingSync, type PeerView } from './ha-status.js';
import { ensureIdentity, fingerprintOf, type NodeIdentity } from './identity.js';
import { pairingCodeProblem, pairingProof, proofMatches, PairingOffers } from './pairing-code.js';
import { emptySyncState, PairingStore, type Pairing } from './pairing-store.js';
import { callPeer, PeerIdentityError, PeerUnreachableError, type PeerTarget } from './peer-client.js';
import { peerHandlers, savedSharedHash } from './peer-handlers.js';
import { defaultPeerPort, PeerRefusal, type PeerState, type SyncRequest } from './peer-protocol.js';
import { PeerServer } from './peer-server.js';
import { SyncSender } from './sync-sender.js';

export interface PeerChannelSettings {
	/** The peer port (default 4445) and the address it listens on. */
	readonly port: number;
	readonly address: string;
	/** Between two heartbeats to the peer. */
	readonly heartbeatMs: number;
	/** Retry delays of sends and drain forwards (tests shorten them). */
	readonly retryDelaysMs?: readonly number[];
}

export interface HaServiceDeps {
	readonly paths: AppliancePaths;
	readonly env: Pick<RenderEnv, 'certDir'>;
	readonly appliance: ApplianceService;
	readonly audit: AuditLog;
	readonly firmwareVersion: string;
	readonly log: (line: string) => void;
	/** This node's VRRP state (services/appliance/vrrp-status.ts). */
	readonly vrrp: (config: Config) => Promise<VrrpStatus>;
	/** Sets an Exchange server's state with the drain's follow-through (the engine's servers.setState). */
	readonly setServerState: (address: string, state: 'ready' | 'drain' | 'maint', actor: Actor) => Promise<void>;
	readonly retryDelaysMs?: readonly number[];
}


/** A failure to reach or convince the peer, as the appliance's problem the API answers (the field it is about). */
function problemOfPeer(error: unknown, field: string): unknown {
	if (error instanceof PeerUnreachableError) return new ApplianceProblem('failed', error.message, [{ path: field, message: 'the peer does not answer' }], { cause: error });
	if (error instanceof PeerIdentityError) return new ApplianceProblem('unauthorized', error.message, [{ path: field, message: 'not the pinned peer' }], { cause: error });
	if (error instanceof PeerRefusal) {
		const paths: Partial<Record<PeerRefusal['reason'], string>> = { 'wrong-code': 'code', expired: 'code', 'no-offer': 'code', 'same-role': 'ha.role' };
		const kind = error.reason === 'busy' ? 'busy' : ['same-role', 'already-paired', 'version-mismatch', 'not-primary', 'not-secondary'].includes(error.reason) ? 'conflict' : 'invalid';
		return new ApplianceProblem(kind, `the peer refused: ${error.message}`, [{ path: paths[error.reason] ?? field, message: error.message }], { cause: error });
	}
	return error;
}

export class HaService {
	readonly #store: PairingStore;
	readonly #offers = new PairingOffers();
	readonly #sender: SyncSender;
	readonly #drains: DrainForwarder;
	#identity: Promise<NodeIdentity> | null = null;
	#server: PeerServer | null = null;
	#port: number | null = null;
	#heartbeat: NodeJS.Timeout | null = null;
	#beating = false;
	#peerView: PeerView | null = null;
	#incoming: IncomingSync | null = null;
	/** The pairing as last read, for the synchronous check of a change (hooks.problems). */
	#pairing: Pairing | null = null;
	/** The hash of the shared part last sent (a refused one is not sent again until it changes). */
	#lastSentHash: string | null = null;
	/** The address calls to the peer leave from: the peer channel's own when it listens on one (0.0.0.0: any). */
	#localAddress: string | undefined;
	/** The save hook's work in progress (it returns at once). */
	#afterSave: Promise<void> = Promise.resolve();

	constructor(private readonly deps: HaServiceDeps) {
		this.#store = new PairingStore(deps.paths.haPairingFile);
		this.#sender = new SyncSender({ send: () => this.#send(), log: deps.log, ...(deps.retryDelaysMs ? { delaysMs: deps.retryDelaysMs } : {}) });
		this.#drains = new DrainForwarder({ send: (address, state) => this.#forwardDrain(address, state), log: deps.log, ...(deps.retryDelaysMs ? { delaysMs: deps.retryDelaysMs } : {}) });
	}

	/** This node's identity, made on first use. */
	identity(): Promise<NodeIdentity> {
		this.#identity ??= ensureIdentity(this.deps.paths.haIdentityFile).catch((error: unknown) => {
			this.#identity = null;
			throw error;
		});
		return this.#identity;
	}

	/** Listens on the peer port and starts the heartbeat. A port that cannot be had is logged; the engine runs on. */
	async start(settings: PeerChannelSettings): Promise<void> {
		this.#localAddress = settings.address === '0.0.0.0' ? undefined : settings.address;
		const identity = await this.identity();
		const server = new PeerServer(peerHandlers({
			paths: this.deps.paths, store: this.#store, offers: this.#offers, appliance: this.deps.appliance, firmwareVersion: this.deps.firmwareVersion,
			identity: () => this.identity(),
			localState: (pairing) => this.#localState(pairing),
			audit: (actor, operation, outcome, message) => this.#audit(actor, operation, outcome, message),
			log: this.deps.log,
			paired: (pairing) => this.#paired(pairing),
			unpaired: () => this.#unpaired(),
			requestSend: () => this.#sender.request(),
			// The primary holds its sends while a drain from the peer is put in force (services/ha/sync-sender.ts).
			setServerState: (address, state, actor) => this.#sender.hold(() => this.deps.setServerState(address, state, actor)),
			drainsSending: () => this.#drains.sending(),
			received: (incoming, primaryHash) => {
				this.#incoming = incoming;
				const state = this.#peerView?.state;
				if (primaryHash !== null && state) this.#peerView = { ...this.#peerView!, state: { ...state, sharedHash: primaryHash } };
			},
		}), { identity, log: this.deps.log });
		try {
			this.#port = await server.listen(settings.port, settings.address);
			this.#server = server;
			this.deps.log(`ha: peer channel on ${settings.address}:${this.#port} (certificate ${identity.fingerprint})`);
		} catch (error) {
			this.deps.log(`ha: the peer channel cannot listen on ${settings.address}:${settings.port}: ${(error as Error).message}; pairing and sync are off`);
		}
		this.#heartbeat = setInterval(() => void this.#beat(), settings.heartbeatMs);
		void this.#beat();
	}

	/** Resolves once what the last saves asked for has been decided and sent (tests, shutdown). */
	async settled(): Promise<void> {
		await this.#afterSave;
		await this.#sender.settled();
	}

	async stop(): Promise<void> {
		if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
		this.#heartbeat = null;
		this.#sender.stop();
		this.#drains.stop();
		await this.#server?.close();
		this.#server = null;
	}

	/** What the appliance service tells the pair, and the one thing it asks (services/appliance/hooks.ts). */
	hooks(): ApplianceHooks {
		return {
			saved: () => {
				this.#afterSave = this.#afterSave.then(() => this.#read()).then((pairing) => {
					if (pairing?.configRole === 'primary' && pairing.syncOnSave) this.#sender.request();
				}, (error: unknown) => this.deps.log(`ha: after a save: ${(error as Error).message}`));
			},
			serverStatesChanged: (changes, actor) => {
				// At once, still under the apply lock: a sync arriving now sees the states on their way (an unpaired
				// node's forwards end at once, #forwardDrain finding no peer).
				if (actor.via !== 'peer') for (const change of changes) this.#drains.forward(change.address, change.state);
			},
			problems: (config) => {
				const peer = this.#pairing === null ? undefined : this.#peerView?.state;
				const problem = peer === undefined || peer === null ? null : sameRoleProblem(config.ha.role, peer.haRole, `${peer.hostname} (${this.#pairing!.peer.address})`);
				return problem === null ? [] : [{ path: 'ha.role', value: config.ha.role, message: problem }];
			},
		};
	}

	async status(): Promise<HaStatus> {
		const [identity, pairing, running] = [await this.identity(), await this.#read(), await loadRunningConfig(this.deps.paths)];
		const vrrp = await this.deps.vrrp(running);
		return haStatusOf({
			fingerprint: identity.fingerprint, peerPort: this.#port, offerExpiresAt: this.#offers.current()?.expiresAt ?? null, pairing,
			peer: pairing === null ? null : this.#peerView, sender: this.#sender.status(), incoming: this.#incoming,
			localHash: await savedSharedHash(this.deps.paths), ha: running.ha, vipHeld: vrrp.vipOnThisNode,
			firmwareVersion: this.deps.firmwareVersion, schemaVersion: configVersion, drains: this.#drains.list(),
		});
	}

	/** On the node to be the config secondary: a one-time code for the primary. */
	async offer(actor: Actor): Promise<ResultOf<'ha.offer'>> {
		const pairing = await this.#read();
		if (pairing !== null) throw new ApplianceProblem('conflict', `this node is already paired with ${pairing.peer.hostname} (${pairing.peer.address}): unpair first`, [{ path: '', message: 'already paired' }]);
		const identity = await this.identity();
		const offer = this.#offers.create();
		await this.#audit(actor, 'ha.offer', 'done');
		return { code: offer.code, fingerprint: identity.fingerprint, expiresAt: new Date(offer.expiresAt).toISOString(), port: this.#port };
	}

	/** On the config primary: pairs with the node at `address` that offers `code`. */
	async pair(params: ParamsOf<'ha.pair'>, actor: Actor): Promise<HaStatus> {
		try {
			const codeProblem = pairingCodeProblem(params.code);
			if (codeProblem !== null) throw new ApplianceProblem('invalid', `code: ${codeProblem}`, [{ path: 'code', message: codeProblem }]);
			const existing = await this.#read();
			if (existing !== null) {
				throw new ApplianceProblem('conflict', `this node is already paired with ${existing.peer.hostname} (${existing.peer.address}): unpair first`, [{ path: 'address', message: 'already paired' }]);
			}
			const [identity, running] = [await this.identity(), await loadRunningConfig(this.deps.paths)];
			const where = this.#target({ address: params.address, port: params.port ?? defaultPeerPort, certificate: null });
			const { answer, certificatePem } = await callPeer('pair', where, identity, (peerCertificate) => ({
				proof: pairingProof(params.code, 'request', identity.fingerprint, fingerprintOf(peerCertificate)),
				hostname: running.network.hostname, port: this.#port ?? defaultPeerPort, haRole: running.ha.role,
				firmwareVersion: this.deps.firmwareVersion, schemaVersion: configVersion,
			})).catch((error: unknown) => {
				throw problemOfPeer(error, 'address');
			});
			const peerFingerprint = fingerprintOf(certificatePem);
			if (!proofMatches(pairingProof(params.code, 'response', identity.fingerprint, peerFingerprint), answer.proof)) {
				throw new ApplianceProblem('unauthorized', `the node at ${params.address} did not prove it knows the code (certificate ${peerFingerprint}): it may not be the node you meant; nothing was paired here`,
					[{ path: 'address', message: 'not the node that offered the code' }]);
			}
			const pairing: Pairing = {
				peer: { address: params.address, port: where.port, hostname: answer.hostname, fingerprint: peerFingerprint, certificate: certificatePem },
				configRole: 'primary', pairedAt: new Date().toISOString(), syncOnSave: true, sync: emptySyncState,
			};
			await this.#store.write(pairing);
			this.deps.log(`ha: paired with ${answer.hostname} (${params.address}, certificate ${peerFingerprint}); this node is the config primary`);
			await this.#audit(actor, 'ha.pair', 'done');
			this.#paired(pairing);
			this.#sender.request();
			return await this.status();
		} catch (error) {
			await this.#audit(actor, 'ha.pair', 'refused', (error as Error).message);
			throw error;
		}
	}

	/** Forgets the pairing here, and tells the peer to forget it too (when it answers). */
	async unpair(actor: Actor): Promise<ResultOf<'ha.unpair'>> {
		const pairing = await this.#requirePairing();
		let message: string | null = null;
		try {
			await callPeer('unpair', this.#target(pairing), await this.identity(), {}, { connectTimeoutMs: 3000, answerTimeoutMs: 5000 });
		} catch (error) {
			message = `${pairing.peer.hostname} (${pairing.peer.address}) was not told: ${(error as Error).message}; unpair it there too`;
		}
		await this.#store.remove();
		this.#unpaired();
		await this.#audit(actor, 'ha.unpair', 'done', message ?? undefined);
		this.deps.log(`ha: unpaired from ${pairing.peer.hostname} (${pairing.peer.address})${message === null ? '' : `; ${message}`}`);
		return { peerNotified: message === null, message };
	}

	/** Sync now: the primary sends; the secondary asks the primary to. Returns at once with the status. */
	async syncNow(actor: Actor): Promise<HaStatus> {
		const pairing = await this.#requirePairing();
		if (pairing.configRole === 'primary') this.#sender.request();
		else {
			await callPeer('syncRequest', this.#target(pairing), await this.identity(), {}, { connectTimeoutMs: 3000, answerTimeoutMs: 5000 }).catch((error: unknown) => {
				throw problemOfPeer(error, '');
			});
		}
		await this.#audit(actor, 'ha.sync', 'done');
		return this.status();
	}

	async settings(params: ParamsOf<'ha.settings'>, actor: Actor): Promise<HaStatus> {
		const pairing = await this.#requirePairing();
		if (pairing.configRole !== 'primary') {
			throw new ApplianceProblem('conflict', `this node is the config secondary: sync on save is set on the primary ${pairing.peer.hostname}`, [{ path: 'syncOnSave', message: 'set on the primary' }]);
		}
		await this.#store.update((current) => ({ ...current, syncOnSave: params.syncOnSave }));
		await this.#audit(actor, 'ha.settings', 'done');
		if (params.syncOnSave) this.#sender.request();
		return this.status();
	}

	/** Where the peer is called: its address and port, its pinned certificate, from this node's peer channel address. */
	#target(where: Pairing | Omit<PeerTarget, 'localAddress'>): PeerTarget {
		const peer = 'peer' in where ? { address: where.peer.address, port: where.peer.port, certificate: where.peer.certificate } : where;
		return this.#localAddress === undefined ? peer : { ...peer, localAddress: this.#localAddress };
	}

	async #read(): Promise<Pairing | null> {
		this.#pairing = await this.#store.read();
		return this.#pairing;
	}

	/** The pairing, or "not found" for the operations that need one. */
	async #requirePairing(): Promise<Pairing> {
		const pairing = await this.#read();
		if (pairing === null) throw new ApplianceProblem('not-found', 'this node is not paired', [{ path: '', message: 'not paired' }]);
		return pairing;
	}

	#paired(pairing: Pairing): void {
		this.#pairing = pairing;
		this.#offers.cancel();
		this.#sender.reset();
		this.#incoming = null;
		this.#lastSentHash = null;
		void this.#beat();
	}

	#unpaired(): void {
		this.#pairing = null;
		this.#peerView = null;
		this.#incoming = null;
		this.#sender.reset();
		this.#drains.reset();
	}

	async #audit(actor: Actor, operation: string, outcome: 'done' | 'refused', message?: string): Promise<void> {
		await this.deps.audit.record({ time: new Date().toISOString(), actor, operation, paths: [], outcome, ...(message === undefined ? {} : { message }) });
	}

	async #localState(pairing: Pairing): Promise<PeerState> {
		const running = await loadRunningConfig(this.deps.paths);
		const vrrp = await this.deps.vrrp(running);
		return {
			hostname: running.network.hostname, haRole: running.ha.role, configRole: pairing.configRole, firmwareVersion: this.deps.firmwareVersion, schemaVersion: configVersion,
			sharedHash: await savedSharedHash(this.deps.paths), revision: pairing.configRole === 'primary' ? pairing.sync.revision : pairing.sync.appliedRevision,
			vrrpState: vrrp.state, vipHeld: vrrp.vipOnThisNode,
		};
	}

	/** The primary's shared part as it is sent: numbered anew when its hash changed since the last send. */
	async #payload(pairing: Pairing): Promise<SyncRequest> {
		const saved = (await loadSavedConfig(this.deps.paths)) ?? defaultConfig();
		const running = await loadRunningConfig(this.deps.paths);
		const shared = sharedPart(saved);
		const hash = sharedHash(shared);
		let { revision } = pairing.sync;
		if (hash !== pairing.sync.hash) {
			revision += 1;
			await this.#store.update((current) => ({ ...current, sync: { ...current.sync, revision, hash } }));
		}
		const certificates = await Promise.all(shared.certificates.map(async ({ name }) => ({ name, pem: await readFile(certificateFile(this.deps.env, name), 'utf8') })));
		return { revision, hash, hostname: running.network.hostname, firmwareVersion: this.deps.firmwareVersion, schemaVersion: configVersion, shared, certificates };
	}

	/** One send of the shared part (the SyncSender's): resolves to the hash the peer acknowledged. */
	async #send(): Promise<string> {
		const pairing = await this.#read();
		if (pairing === null || pairing.configRole !== 'primary') throw new PeerRefusal('not-primary', 'this node is no longer the config primary of a pair');
		const payload = await this.#payload(pairing);
		this.#lastSentHash = payload.hash;
		const { answer } = await callPeer('sync', this.#target(pairing), await this.identity(), payload, { answerTimeoutMs: 180_000 });
		if (answer.hash !== payload.hash) {
			throw new PeerRefusal('failed', `the peer applied revision ${answer.revision} with hash ${answer.hash.slice(0, 12)}, not ${payload.hash.slice(0, 12)}`);
		}
		const state = this.#peerView?.state;
		if (state) this.#peerView = { ...this.#peerView!, state: { ...state, sharedHash: answer.hash } };
		this.deps.log(`ha: ${pairing.peer.hostname} ${answer.outcome === 'applied' ? 'applied' : 'already had'} revision ${payload.revision} (${answer.hash.slice(0, 12)})`);
		return answer.hash;
	}

	async #forwardDrain(address: string, state: 'ready' | 'drain' | 'maint'): Promise<void> {
		const pairing = await this.#read();
		if (pairing === null) return;
		const running = await loadRunningConfig(this.deps.paths);
		await callPeer('serverState', this.#target(pairing), await this.identity(), { address, state, hostname: running.network.hostname });
	}

	/** Asks the peer how it is; the primary sends again when the peer's shared part differs (a node that was away). */
	async #beat(): Promise<void> {
		if (this.#beating) return;
		this.#beating = true;
		try {
			const pairing = await this.#read();
			if (pairing === null) return;
			const now = new Date().toISOString();
			try {
				const { answer } = await callPeer('state', this.#target(pairing), await this.identity(), undefined, { connectTimeoutMs: 3000, answerTimeoutMs: 5000 });
				this.#peerView = { reachable: true, lastContact: now, error: null, state: answer };
			} catch (error) {
				this.#peerView = { reachable: false, lastContact: this.#peerView?.lastContact ?? null, error: (error as Error).message, state: this.#peerView?.state ?? null };
				return;
			}
			const peerHash = this.#peerView.state!.sharedHash;
			const localHash = await savedSharedHash(this.deps.paths);
			const sender = this.#sender.status();
			const busy = sender.state === 'sending' || sender.state === 'retrying';
			const refusedAlready = sender.state === 'failed' && this.#lastSentHash === localHash;
			if (pairing.configRole === 'primary' && pairing.syncOnSave && peerHash !== localHash && !busy && !refusedAlready) this.#sender.request();
		} catch (error) {
			this.deps.log(`ha: heartbeat: ${(error as Error).message}`);
		} finally {
			this.#beating = false;
		}
	}
}
