// One apply at a time: a pid file holding the owner's pid (a stale lock of a dead process is taken over).
import { claimPidFile, releasePidFile } from '../os/pid.js';
import { ApplyError } from './errors.js';

/** Another change holds the lock: nothing was done, trying again later works. */
export class ApplyLockBusyError extends ApplyError {
	override readonly name = 'ApplyLockBusyError';
}

const retryMs = 200;

/** Runs `work` holding the lock; a lock held by another process is waited for at most `waitMs` (default: not at all). */
export async function withLock<T>(file: string, work: () => Promise<T>, waitMs = 0): Promise<T> {
	const deadline = Date.now() + waitMs;
	const take = () => claimPidFile(file).catch((error: unknown) => {
		throw new ApplyError(`could not take the apply lock ${file}`, { cause: error });
	});
	let claim = await take();
	while (!claim.claimed && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, retryMs));
		claim = await take();
	}
	if (!claim.claimed) {
		const owner = claim.owner === null ? '' : `pid ${claim.owner}, `;
		throw new ApplyLockBusyError(`another apply is running (${owner}lock ${file})`);
	}
	try {
		return await work();
	} finally {
		await releasePidFile(file);
	}
}
