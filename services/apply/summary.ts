// What an apply did to the daemons, in words: shared by `exlb apply` and the boot journal line.
import type { ApplyResult } from './apply.js';

/** "started haproxy, stunnel-https", "reloaded …", "stopped …": one part per non-empty list, in that order. */
export function daemonChanges(result: Pick<ApplyResult, 'started' | 'reloaded' | 'stopped'>): string[] {
	const parts: [string, readonly string[]][] = [['started', result.started], ['reloaded', result.reloaded], ['stopped', result.stopped]];
	return parts.filter(([, daemons]) => daemons.length > 0).map(([verb, daemons]) => `${verb} ${daemons.join(', ')}`);
}
