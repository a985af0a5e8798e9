// The allow-list of changes the appliance makes to a running haproxy, and nothing else: a server's administrative
// state (`set server <backend>/<server> state ready|drain|maint`) and `shutdown sessions server <backend>/<server>`.
// Every backend/server name is checked against the renderer's naming and against the pairs the current config renders
// (and, when given, those the running haproxy has) before a single byte is written.
// The commands go through the master CLI (root only, like the admin socket) to a named worker: right after a reload
// the admin socket is still answered by the old worker now and then (3 of the first 40 connections, measured on the
// image's haproxy 3.0), and a state set there would miss the new one; "@1" always reaches the current worker.
import type { Config } from '../config/schema.js';
import { backendServers } from '../render/haproxy-servers.js';
import { checkName, runtimeCommand, toWorker, RuntimeNameError, type RuntimeSocket, type WorkerTarget } from './runtime-socket.js';
import type { AdminState, ServersStateDump } from './servers-state.js';

export interface ServerTarget {
	readonly backend: string;
	readonly server: string;
}

declare const checkedBrand: unique symbol;
/** A (backend, server) pair that passed checkTargets. */
export type CheckedTarget = ServerTarget & { readonly [checkedBrand]: true };

/** A well-formed name that the configuration (or the running haproxy) does not have. */
export class UnknownServerError extends RuntimeNameError {
	override name = 'UnknownServerError';
}

const adminStates: readonly AdminState[] = ['ready', 'drain', 'maint'];

/** Checks each pair: the naming pattern first, then the config's rendered pairs, then the running haproxy's (if given). */
export function checkTargets(config: Config, targets: readonly ServerTarget[], running?: ServersStateDump): CheckedTarget[] {
	const rendered = new Set(backendServers(config).map((entry) => `${entry.backend}/${entry.server}`));
	const loaded = running === undefined ? null : new Set(running.rows.map((row) => `${row.backend}/${row.server}`));
	return targets.map((target) => {
		const key = `${checkName('backend', target.backend)}/${checkName('server', target.server)}`;
		if (!rendered.has(key)) throw new UnknownServerError(`${key} is not a server of the configuration (it renders ${[...rendered].join(', ') || 'none'})`);
		if (loaded !== null && !loaded.has(key)) throw new UnknownServerError(`${key} is not loaded in the running haproxy (the configuration is not applied yet?)`);
		return { backend: target.backend, server: target.server } as CheckedTarget;
	});
}

/** Puts every target in `state` in one worker (the current one by default), one command each. */
export async function setAdminState(master: RuntimeSocket, targets: readonly CheckedTarget[], state: AdminState, worker: WorkerTarget = 'current'): Promise<void> {
	if (!adminStates.includes(state)) throw new RuntimeNameError(`${JSON.stringify(state)} is not one of ${adminStates.join(', ')}`);
	for (const target of targets) {
		await master.act(toWorker(worker, runtimeCommand('set', 'server', `${target.backend}/${target.server}`, 'state', state)));
	}
}

/** Closes every session of the targets in one worker (old workers keep theirs unless named). */
export async function shutdownSessions(master: RuntimeSocket, targets: readonly CheckedTarget[], worker: WorkerTarget = 'current'): Promise<void> {
	for (const target of targets) {
		await master.act(toWorker(worker, runtimeCommand('shutdown', 'sessions', 'server', `${target.backend}/${target.server}`)));
	}
}
