// What exlb-apply.service does at boot: start haproxy/stunnel/keepalived on the configuration in force (the saved
// one, or factory settings) through the same apply() as `exlb apply`. It leaves the network and the running
// configuration alone: at boot both belong to the console agent, which asks DHCP/static on a factory appliance and
// takes an existing /run/exlb/config.json to mean "network already set up during this boot".
import { existsSync } from 'node:fs';
import { applyHoldingLock, withApplyLock, type ApplyResult } from '../apply/apply.js';
import { daemonChanges } from '../apply/summary.js';
import { loadRunningConfig } from '../config/store.js';
import { machineApplyOptions, machinePaths } from '../appliance/machine.js';
import type { AppliancePaths } from '../paths.js';
import type { ServiceController } from '../apply/controller.js';

export type BootConfigSource = 'running' | 'saved' | 'factory';

export interface BootApplyResult extends ApplyResult {
	readonly source: BootConfigSource;
}

/** Which file loadRunningConfig() reads (running, else saved, else factory defaults). */
export function bootConfigSource(paths: AppliancePaths): BootConfigSource {
	if (existsSync(paths.runningConfig)) return 'running';
	return existsSync(paths.savedConfig) ? 'saved' : 'factory';
}

/**
 * How long the boot's apply waits for another change to finish: at first boot the console agent applies the DHCP or
 * static network (waiting up to 20 s for a lease) under the same lock, on an emulated CPU that can take minutes.
 * Within exlb-apply.service's TimeoutStartSec (180 s).
 */
export const bootLockWaitMs = 150_000;

/** The appliance's systemd units, unless a test passes its own controller (there is no systemd on a build host). */
export async function applyAtBoot(environment: NodeJS.ProcessEnv, controller?: ServiceController, lockWaitMs = bootLockWaitMs): Promise<BootApplyResult> {
	// The machine's `network` would rewrite /run/systemd/network under the console agent: left out on purpose.
	const { network: _network, controllerName: _name, ...options } = machineApplyOptions(environment, 'systemd');
	const paths = machinePaths(environment);
	// Read under the lock: a change that held it (the console's network) is what the daemons must start on.
	return withApplyLock(paths, async () => {
		const source = bootConfigSource(paths);
		const config = await loadRunningConfig(paths);
		const result = await applyHoldingLock(config, { ...options, controller: controller ?? options.controller, recordRunning: false });
		return { ...result, source };
	}, lockWaitMs);
}

/** One line for the journal: which configuration, which daemons. */
export function describeBootApply(result: BootApplyResult): string {
	const daemons = daemonChanges(result);
	const source = { running: 'the running configuration', saved: 'the saved configuration', factory: 'factory settings' }[result.source];
	return `exlb: load balancer applied from ${source}${daemons.length > 0 ? `: ${daemons.join('; ')}` : ' (nothing to start)'}`;
}
