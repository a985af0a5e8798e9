// Puts processes into a cgroup named like a systemd unit (…/<slice>.slice/<unit>.service on the cgroup2 tree), so
// journald attributes their messages to that unit and applies its per-unit rate limit as on the appliance (the
// build host runs the daemons outside systemd). Removed afterwards; its processes go back to the root cgroup.
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where systemd's controller lives: the cgroup2 tree (unified, or hybrid's /sys/fs/cgroup/unified). */
function cgroup2Root(): string {
	return existsSync('/sys/fs/cgroup/unified/cgroup.procs') ? '/sys/fs/cgroup/unified' : '/sys/fs/cgroup';
}

export interface UnitCgroup {
	/** Moves the processes in (children forked later follow them). */
	adopt(pids: readonly number[]): Promise<void>;
	remove(): Promise<void>;
}

export async function unitCgroup(slice: string, unit: string): Promise<UnitCgroup> {
	const root = cgroup2Root();
	const sliceDir = path.join(root, `${slice}.slice`);
	const dir = path.join(sliceDir, unit);
	await mkdir(dir, { recursive: true });
	const move = async (target: string, pids: readonly number[]) => {
		for (const pid of pids) {
			try { await writeFile(path.join(target, 'cgroup.procs'), `${pid}\n`); } catch { /* the process ended */ }
		}
	};
	return {
		adopt: (pids) => move(dir, pids),
		async remove() {
			const left = (await readFile(path.join(dir, 'cgroup.procs'), 'utf8')).split('\n').filter(Boolean).map(Number);
			await move(root, left);
			await rmdir(dir);
			await rmdir(sliceDir);
		},
	};
}
