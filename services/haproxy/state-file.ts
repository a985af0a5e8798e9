// haproxy's server-state file (`server-state-file` + `load-server-state-from-file global`): read by the master each
// time it loads a configuration (start and reload), so the new worker starts with the servers' states instead of
// "every server up and ready". Written by the engine before every start and reload of haproxy, and after every change
// of a server's administrative state:
// - the operational state (up/down, check results) comes from the running haproxy (or the file it left);
// - the administrative state (ready/drain/maint) comes from the configuration model (serverStates), never from the
//   previous haproxy, so a configuration that sets a server back to ready is never overridden by an older state;
// - a line is carried over only if its server keeps its backend, name, address and port: haproxy would otherwise apply
//   the old port (srv_port) to the new server line, and the old health to another machine.
// On the appliance it lives on the tmpfs (/run/exlb): after a reboot the saved configuration alone decides.
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/schema.js';
import type { RenderEnv } from '../render/env.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { UnexpectedAnswerError } from './answer-error.js';
import { readServersState } from './queries.js';
import { HaproxySocketError, masterCli } from './runtime-socket.js';
import { adminBits, parseServersState, type AdminState, type ServersStateDump } from './servers-state.js';

/** A server line of a rendered haproxy.cfg. */
export interface RenderedServer {
	readonly backend: string;
	readonly server: string;
	readonly address: string;
	readonly port: number;
}

/** The version-1 columns haproxy requires on every line (the optional ssl/check/agent columns may follow). */
const baseColumns = [
	'be_id', 'be_name', 'srv_id', 'srv_name', 'srv_addr', 'srv_op_state', 'srv_admin_state', 'srv_uweight', 'srv_iweight',
	'srv_time_since_last_change', 'srv_check_status', 'srv_check_result', 'srv_check_health', 'srv_check_state',
	'srv_agent_state', 'bk_f_forced_id', 'srv_f_forced_id', 'srv_fqdn', 'srv_port', 'srvrecord',
] as const;

const forcedBits: Readonly<Record<AdminState, number>> = { ready: 0, drain: adminBits.FDRAIN, maint: adminBits.FMAINT };

/** The server lines of haproxy.cfg as our renderer writes them (`server cas1 10.0.0.1:80 id 1 ...` under `backend be_owa`). */
export function renderedServers(haproxyCfg: string): RenderedServer[] {
	const servers: RenderedServer[] = [];
	let backend: string | null = null;
	for (const line of haproxyCfg.split('\n')) {
		const section = /^(global|defaults|frontend|backend|listen)\b\s*(\S*)/.exec(line);
		if (section !== null) backend = section[1] === 'backend' ? section[2]! : null;
		const server = /^\s+server (\S+) ([0-9.]+):([0-9]+)(?:\s|$)/.exec(line);
		if (server !== null && backend !== null) servers.push({ backend, server: server[1]!, address: server[2]!, port: Number(server[3]) });
	}
	return servers;
}

/** The administrative state the model wants for an address (absent from serverStates = ready). */
export function desiredState(config: Config, address: string): AdminState {
	return config.serverStates[address] ?? 'ready';
}

/**
 * The file's text for the servers of a rendered config. `desired` null keeps the previous forced states (used when a
 * failed apply puts the previous configuration back and the model of that configuration is not at hand).
 */
export function serverStateFileText(servers: readonly RenderedServer[], desired: ((address: string) => AdminState) | null, previous: ServersStateDump | null): string {
	const columns = previous?.columns ?? baseColumns;
	const at = (name: string) => columns.indexOf(name);
	const byName = new Map(previous?.rows.map((row) => [`${row.backend} ${row.server}`, row]) ?? []);
	const lines: string[] = [];
	for (const server of servers) {
		const row = byName.get(`${server.backend} ${server.server}`);
		const same = row !== undefined && row.address === server.address && row.port === server.port;
		const forced = row === undefined ? 0 : row.adminState & (adminBits.FMAINT | adminBits.FDRAIN);
		const bits = desired === null ? (same ? forced : 0) : forcedBits[desired(server.address)];
		if (same) {
			const fields = [...row.fields];
			fields[at('srv_admin_state')] = String(bits);
			lines.push(fields.join(' '));
		} else if (bits !== 0) {
			// No history for this server: only its administrative state. Op state "running" is haproxy's own start-up
			// assumption; check/agent state 0 leaves the configured checks as they are.
			const id = /([0-9]+)$/.exec(server.server)?.[1] ?? '0';
			lines.push(['0', server.backend, id, server.server, server.address, '2', String(bits), '1', '1', '0', '1', '0', '0', '0', '0', '0', '1', '-', String(server.port), '-'].join(' '));
		}
	}
	return ['1', `# ${columns.join(' ')}`, ...lines, ''].join('\n');
}

/** The running haproxy's states (its current worker, through the master CLI), or null when it does not answer. */
async function runningStates(masterSocket: string): Promise<ServersStateDump | null> {
	try {
		return await readServersState(masterCli(masterSocket), 'current');
	} catch (error) {
		if (error instanceof HaproxySocketError) return null;
		throw error;
	}
}

/** The states a previous haproxy left in the file (null: none, or not a state file). */
async function fileStates(file: string): Promise<ServersStateDump | null> {
	const text = await readFile(file, 'utf8').catch(() => null);
	if (text === null) return null;
	try {
		return parseServersState(text);
	} catch (error) {
		if (error instanceof UnexpectedAnswerError) return null;
		throw error;
	}
}

/**
 * Writes the state file for `haproxyCfg` (the configuration haproxy is about to load, or runs): operational states
 * from the running haproxy (unless the caller knows it is not running), else from the file; administrative states
 * from `config` (null: keep the previous ones).
 */
export async function saveServerStateFile(
	env: Pick<RenderEnv, 'haproxyStateFile' | 'haproxyMasterSocket'>, config: Config | null, haproxyCfg: string, haproxyRuns = true,
): Promise<void> {
	const previous = (haproxyRuns ? await runningStates(env.haproxyMasterSocket) : null) ?? (await fileStates(env.haproxyStateFile));
	const desired = config === null ? null : (address: string) => desiredState(config, address);
	await writeFileAtomic(env.haproxyStateFile, serverStateFileText(renderedServers(haproxyCfg), desired, previous), { mode: 0o600 });
}
