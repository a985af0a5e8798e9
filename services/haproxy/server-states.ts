// The administrative state of the Exchange servers: kept in the configuration model (serverStates, by address), and
// brought into the running haproxy. A state is per address, so a 2010 multi-role server (the same address in casServers
// and hubServers) leaves every backend at once, CAS and SMTP alike: it is one machine being patched.
import type { Config, ServerAdminState } from '../config/schema.js';
import { roleAddresses, serversAt, backendServers, type ServerRole } from '../render/haproxy-servers.js';
import { readServersState } from './queries.js';
import type { RuntimeSocket } from './runtime-socket.js';
import { checkTargets, setAdminState } from './server-actions.js';
import { forcedState, type AdminState } from './servers-state.js';
import { desiredState } from './state-file.js';

/** An Exchange server as the API names it: CAS 1..4 or HUB 1..4 (its position in casServers / hubServers). */
export interface ServerRef {
	readonly role: ServerRole;
	readonly index: number;
}

/** A server reference or address the configuration does not have. */
export class ServerRefError extends RangeError {
	override name = 'ServerRefError';
}

const roleField = { cas: 'casServers', hub: 'hubServers' } as const;

/** The address of CAS n / HUB n. */
export function serverAddress(config: Config, ref: ServerRef): string {
	const addresses = roleAddresses(config, ref.role);
	if (!Number.isInteger(ref.index) || ref.index < 1 || ref.index > addresses.length) {
		throw new ServerRefError(`${ref.role} ${ref.index} does not exist: ${roleField[ref.role]} has ${addresses.length === 0 ? 'no server' : `servers 1 to ${addresses.length}`}`);
	}
	return addresses[ref.index - 1]!;
}

/** CAS n or HUB n at `address` (the CAS role first: a 2010 multi-role server leaves every backend either way). */
export function serverRefOf(config: Config, address: string): ServerRef {
	const cas = config.casServers.indexOf(address);
	if (cas >= 0) return { role: 'cas', index: cas + 1 };
	const hub = config.hubServers.indexOf(address);
	if (hub >= 0) return { role: 'hub', index: hub + 1 };
	throw new ServerRefError(`${address} is not a CAS or HUB server of the configuration`);
}

/** A copy of `config` with the server at `address` in `state` (ready removes its entry). Pure: nothing is applied. */
export function withServerState(config: Config, address: string, state: AdminState): Config {
	if (!config.casServers.includes(address) && !config.hubServers.includes(address)) {
		throw new ServerRefError(`${address} is not a CAS or HUB server of the configuration`);
	}
	const serverStates: Record<string, ServerAdminState> = { ...config.serverStates };
	if (state === 'ready') delete serverStates[address];
	else serverStates[address] = state;
	return { ...config, serverStates };
}

export interface StateChange {
	readonly backend: string;
	readonly server: string;
	readonly address: string;
	readonly from: AdminState;
	readonly to: AdminState;
}

/**
 * Makes the running haproxy's (current worker's) administrative states those of the model: one `set server ... state`
 * for each server that differs, nothing for the others. Returns what it changed.
 */
export async function enforceServerStates(master: RuntimeSocket, config: Config, only?: string): Promise<StateChange[]> {
	const running = await readServersState(master, 'current');
	const model = new Map((only === undefined ? backendServers(config) : serversAt(config, only)).map((entry) => [`${entry.backend}/${entry.server}`, entry]));
	const changes: StateChange[] = [];
	for (const row of running.rows) {
		const entry = model.get(`${row.backend}/${row.server}`);
		if (entry === undefined) continue;
		const from = forcedState(row.adminState);
		const to = desiredState(config, entry.address);
		if (from !== to) changes.push({ backend: row.backend, server: row.server, address: entry.address, from, to });
	}
	for (const state of ['maint', 'drain', 'ready'] as const) {
		const targets = checkTargets(config, changes.filter((change) => change.to === state), running);
		await setAdminState(master, targets, state);
	}
	return changes;
}
