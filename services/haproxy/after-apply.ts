// What apply() does about the servers' administrative states: before haproxy loads a configuration (start or
// reload) the state file is written so the new worker starts with them; after every apply (boot included, and an
// apply that changed only serverStates, which reloads nothing) the running haproxy is brought to the model.
import type { Config } from '../config/schema.js';
import type { ConfigIssue } from '../config/issues.js';
import type { RenderEnv } from '../render/env.js';
import { HaproxyNotRunningError, masterCli } from './runtime-socket.js';
import { enforceServerStates } from './server-states.js';
import { saveServerStateFile } from './state-file.js';

type StateEnv = Pick<RenderEnv, 'haproxyStateFile' | 'haproxyMasterSocket'>;

/**
 * Before haproxy starts (`running` false: the states of the file a previous haproxy left, if any) or reloads on
 * `haproxyCfg`; `config` null keeps the states haproxy has (a rollback).
 */
export function beforeHaproxyLoads(env: StateEnv, config: Config | null, haproxyCfg: string, running: boolean): Promise<void> {
	return saveServerStateFile(env, config, haproxyCfg, running);
}

/**
 * After the daemons run the new configuration: the model's states in force in haproxy, and the state file refreshed
 * (a later restart outside apply, e.g. systemd's Restart=always, then starts from them). A failure is a warning: the
 * configuration is applied, and the states are in the state file for haproxy's next start or reload.
 */
export async function serverStatesInForce(env: StateEnv, config: Config, haproxyCfg: string): Promise<ConfigIssue[]> {
	try {
		await enforceServerStates(masterCli(env.haproxyMasterSocket), config);
		await saveServerStateFile(env, config, haproxyCfg);
		return [];
	} catch (error) {
		// No haproxy (EXLB_CONTROLLER=none writes files only): the state file carries the states to its first start.
		if (error instanceof HaproxyNotRunningError) return [];
		return [{ path: 'serverStates', value: config.serverStates, message: `could not put the servers' states in force in haproxy: ${(error as Error).message}` }];
	}
}
