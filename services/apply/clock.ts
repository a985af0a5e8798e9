// Puts the configured clock settings in force: the timesyncd drop-in (timesyncd restarted when it changed) and the
// time zone link. Only what changed is touched.
import { readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { SystemConfig } from '../config/schema.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { renderTimesyncd, zoneFile } from '../render/timesyncd.js';

export interface ClockTarget {
	/** The timesyncd drop-in this appliance owns (/run/systemd/timesyncd.conf.d/exlb.conf). */
	readonly timesyncdFile: string;
	/** The link /etc/localtime points to (/run/exlb/localtime). */
	readonly localtimeLink: string;
	readonly restartTimesyncd: () => Promise<void>;
}

/** Returns true when something changed. */
export async function applyClock(system: SystemConfig, target: ClockTarget): Promise<boolean> {
	let changed = false;
	const dropIn = renderTimesyncd(system);
	const current = await readFile(target.timesyncdFile, 'utf8').catch(() => null);
	if (dropIn !== current) {
		if (dropIn === null) await rm(target.timesyncdFile, { force: true });
		else await writeFileAtomic(target.timesyncdFile, dropIn);
		await target.restartTimesyncd();
		changed = true;
	}
	const zone = zoneFile(system);
	if ((await readlink(target.localtimeLink).catch(() => null)) !== zone) {
		// A new link renamed over the old one: readers never see it missing.
		const next = `${target.localtimeLink}.${process.pid}.new`;
		await rm(next, { force: true });
		await symlink(zone, next);
		await rename(next, target.localtimeLink);
		changed = true;
	}
	return changed;
}

export const clockDirs = (target: ClockTarget) => [path.dirname(target.timesyncdFile), path.dirname(target.localtimeLink)];
