// Process ids as owners: whether a process is alive, and pid files that one live process at a time can hold
// (the apply lock, the image build's boot slots). A file whose owner has died is taken over.
import { open, readFile, rm } from 'node:fs/promises';

/** Whether a process with this id exists on this machine. EPERM means it exists but belongs to another user: alive. */
export function processAlive(pid: number): boolean {
	if (!Number.isSafeInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The pid written in a pid file; null when the file is missing, unreadable or holds no pid. */
export async function pidFileOwner(file: string): Promise<number | null> {
	const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
	return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

export type PidFileClaim = { readonly claimed: true } | { readonly claimed: false; readonly owner: number | null };

/**
 * Creates `file` holding this process's pid, atomically (O_EXCL). A file left by a dead process is removed and
 * claimed again, once. When another live process holds it, the claim fails and names that owner
 * (null: the file was re-taken by someone else between our two tries). Errors other than "exists" are thrown.
 */
export async function claimPidFile(file: string): Promise<PidFileClaim> {
	for (let attempt = 0; ; attempt++) {
		try {
			const handle = await open(file, 'wx', 0o600);
			try {
				await handle.writeFile(String(process.pid));
			} finally {
				await handle.close();
			}
			return { claimed: true };
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = await pidFileOwner(file);
			if (owner !== null && processAlive(owner)) return { claimed: false, owner };
			if (attempt > 0) return { claimed: false, owner: null };
			await rm(file, { force: true });
		}
	}
}

/** Removes a pid file this process claimed. */
export async function releasePidFile(file: string): Promise<void> {
	await rm(file, { force: true });
}
