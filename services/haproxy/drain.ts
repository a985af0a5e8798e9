// Server-wide drain for Exchange patching: one call takes CAS n (or HUB n) out of, or back into, every backend that
// uses its address, the way an admin takes a server out for a cumulative update:
//   drain: no new sessions except persistent ones (Exchange 2010 affinity: cookie, source, Authorization), health
//          checks go on; the remaining sessions are reported, summed over every backend and every haproxy worker;
//          with maintAfterSeconds, the server moves to maint if sessions remain when that time is up;
//   maint: no traffic, no checks, and the sessions still open are closed: the current worker does it itself (the
//          server lines' `on-marked-down shutdown-sessions` applies to maintenance too), old workers are told to;
//   ready: back in service, then waits (bounded) until haproxy's checks report it UP in every backend.
// The state is per address (serverStates): a 2010 multi-role server, listed as CAS and HUB, leaves its SMTP backends
// with its CAS ones. Every change is first recorded in the model through `commit` (the appliance service: under the
// apply lock, running and saved configuration), and apply() puts it in force in haproxy without a reload.
import type { Config } from '../config/schema.js';
import { DeadlineError, StopWaiting, waitFor } from '../apply/wait.js';
import { serversAt } from '../render/haproxy-servers.js';
import { HaproxyCommandError, HaproxyNotRunningError, masterCli, type RuntimeSocket } from './runtime-socket.js';
import { checkTargets, shutdownSessions } from './server-actions.js';
import { enforceServerStates, serverAddress, withServerState, ServerRefError, type ServerRef } from './server-states.js';
import type { AdminState } from './servers-state.js';
import { serverPresence, type ServerPresence } from './sessions.js';
import { readProcesses } from './queries.js';

export interface SetServerStateRequest extends ServerRef {
	readonly state: AdminState;
	/** drain: when sessions remain after this many seconds, move to maint, closing them (absent: drain, report and return). */
	readonly maintAfterSeconds?: number;
	/** ready: how long to wait for UP in every backend (default 60 s: a server coming out of maint needs `rise` checks). */
	readonly upTimeoutSeconds?: number;
}

export interface DrainDeps {
	/**
	 * Records `change` of the running configuration and applies it; resolves to the configuration now running. The
	 * appliance service passes its locked read-modify-apply (changeRunningConfig) followed by a save.
	 */
	commit(change: (running: Config) => Config): Promise<Config>;
	/** The running configuration, read without changing it (loadRunningConfig). */
	running(): Promise<Config>;
	/** haproxy's master CLI socket (RenderEnv.haproxyMasterSocket). */
	readonly masterSocket: string;
	/** Called at every poll while waiting (sessions counting down, backends coming up). */
	readonly onProgress?: (presence: ServerPresence) => void;
	/** Stops a wait early (the outcome is then "canceled"; the state set so far stays). */
	readonly signal?: AbortSignal;
	readonly pollIntervalMs?: number;
}

/**
 * drained: no session left (still in drain); draining: sessions remain (no maintAfterSeconds); maint: put in maint
 * (by request, or after maintAfterSeconds); up / not-up: ready, and UP everywhere or not within upTimeoutSeconds;
 * superseded: another change of this server's state came first; canceled: the signal stopped the wait;
 * not-running: recorded in the configuration, haproxy is not running (its next start loads the state).
 */
export type DrainOutcome = 'drained' | 'draining' | 'maint' | 'up' | 'not-up' | 'superseded' | 'canceled' | 'not-running';

export interface SetServerStateReport extends ServerPresence {
	readonly role: ServerRef['role'];
	readonly index: number;
	/** The state in the model when the call returned. */
	readonly state: AdminState;
	readonly outcome: DrainOutcome;
	/** Sessions the move to maint closed (0 for the other states). */
	readonly sessionsClosed: number;
}

const defaultPollMs = 500;
const defaultUpTimeoutSeconds = 60;

/** Sets one Exchange server's state everywhere and follows it through (see the file comment). */
export async function setServerState(request: SetServerStateRequest, deps: DrainDeps): Promise<SetServerStateReport> {
	const master = masterCli(deps.masterSocket);
	// Counted before the move to maint closes them.
	const before = request.state === 'maint' ? await presenceOf(master, deps, request) : null;
	let address = '';
	const config = await deps.commit((running) => {
		address = serverAddress(running, request);
		return withServerState(running, address, request.state);
	});
	try {
		return await followThrough(request, deps, master, config, address, before?.sessions ?? 0);
	} catch (error) {
		if (!(error instanceof HaproxyNotRunningError)) throw error;
		const latest = await deps.running();
		const presence = { address, sessions: 0, workers: [], backends: [] };
		return { ...presence, role: request.role, index: request.index, state: latest.serverStates[address] ?? 'ready', outcome: 'not-running', sessionsClosed: 0 };
	}
}

/** The runtime part of setServerState, once the model has the new state. */
async function followThrough(
	request: SetServerStateRequest, deps: DrainDeps, master: RuntimeSocket, committed: Config, address: string, sessionsBefore: number,
): Promise<SetServerStateReport> {
	let config = committed;
	// apply() already brought haproxy to the model; this only acts if something changed it in between.
	await enforceServerStates(master, config, address);
	const report = (presence: ServerPresence, outcome: DrainOutcome, sessionsClosed = 0): SetServerStateReport => ({
		...presence, role: request.role, index: request.index, state: config.serverStates[address] ?? 'ready', outcome, sessionsClosed,
	});
	const poll = deps.pollIntervalMs ?? defaultPollMs;
	const watch = (want: AdminState, done: (presence: ServerPresence) => boolean) => async () => {
		if (deps.signal?.aborted) throw new StopWaiting('canceled');
		// Other changes may be applied meanwhile (a service switched off, a reload): always the configuration in force.
		config = await deps.running();
		const presence = await serverPresence(master, config, address);
		deps.onProgress?.(presence);
		if ((config.serverStates[address] ?? 'ready') !== want) throw new StopWaiting('superseded');
		return done(presence) ? presence : false;
	};
	const stopped = async (error: unknown): Promise<SetServerStateReport> => {
		if (!(error instanceof StopWaiting)) throw error;
		return report(await serverPresence(master, config, address), error.message === 'canceled' ? 'canceled' : 'superseded');
	};

	if (request.state === 'ready') {
		const timeoutMs = (request.upTimeoutSeconds ?? defaultUpTimeoutSeconds) * 1000;
		try {
			return report(await waitFor(`${address} UP in every backend`, timeoutMs, watch('ready', (p) => p.backends.every((b) => b.loaded && b.up)), poll), 'up');
		} catch (error) {
			if (error instanceof DeadlineError) return report(await serverPresence(master, config, address), 'not-up');
			return stopped(error);
		}
	}
	if (request.state === 'maint') {
		await closeSessions(master, config, address);
		return report(await serverPresence(master, config, address), 'maint', sessionsBefore);
	}
	if (request.maintAfterSeconds === undefined) {
		const presence = await serverPresence(master, config, address);
		return report(presence, presence.sessions === 0 ? 'drained' : 'draining');
	}
	try {
		return report(await waitFor(`the sessions of ${address} to end`, request.maintAfterSeconds * 1000, watch('drain', (p) => p.sessions === 0), poll), 'drained');
	} catch (error) {
		if (!(error instanceof DeadlineError)) return stopped(error);
	}
	// Time is up with sessions left: maint, unless the admin changed this server's state meanwhile.
	const remaining = await serverPresence(master, config, address);
	let superseded = false;
	config = await deps.commit((running) => {
		superseded = running.serverStates[address] !== 'drain';
		return superseded ? running : withServerState(running, address, 'maint');
	});
	if (superseded) return report(await serverPresence(master, config, address), 'superseded');
	await enforceServerStates(master, config, address);
	await closeSessions(master, config, address);
	return report(await serverPresence(master, config, address), 'maint', remaining.sessions);
}

/** The server's presence before a change, when the reference resolves and haproxy runs (else null: the commit decides). */
async function presenceOf(master: RuntimeSocket, deps: DrainDeps, ref: ServerRef): Promise<ServerPresence | null> {
	const config = await deps.running();
	try {
		return await serverPresence(master, config, serverAddress(config, ref));
	} catch (error) {
		if (error instanceof ServerRefError || error instanceof HaproxyNotRunningError) return null;
		throw error;
	}
}

/** Closes the sessions of the server at `address` in every backend and every worker (old workers keep theirs otherwise). */
async function closeSessions(master: RuntimeSocket, config: Config, address: string): Promise<void> {
	const targets = checkTargets(config, serversAt(config, address));
	const processes = await readProcesses(master);
	for (const pid of processes.workers) await shutdownSessions(master, targets, { pid });
	for (const pid of processes.oldWorkers) {
		// An old worker may have exited meanwhile, or predate this server: nothing to close there.
		await shutdownSessions(master, targets, { pid }).catch((error: unknown) => {
			if (!(error instanceof HaproxyCommandError)) throw error;
		});
	}
}
