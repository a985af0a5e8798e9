// One apply at a time: a pid file holding the owner's pid (a stale lock of a dead process is taken over).
import { claimPidFile, releasePidFile } from '../os/pid.js';
import { ApplyError } from './errors.js';

/** Another change holds the lock: nothing was done, trying again later works. */
export class ApplyLockBusyError extends ApplyError {
	override readonly name = 'ApplyLockBusyError';
}

export async function withLock<T>(file: string, work: () => Promise<T>): Promise<T> {
	const claim = await claimPidFile(file).catch((error: unknown) => {
		throw new ApplyError(`could not take the apply lock ${file}`, { cause: error });
	});
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
