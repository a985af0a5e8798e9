// One apply at a time: a lock file holding the owner's pid (a stale lock of a dead process is taken over).
import { open, readFile, rm } from 'node:fs/promises';
import { ApplyError } from './errors.js';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export async function withLock<T>(file: string, work: () => Promise<T>): Promise<T> {
	for (let attempt = 0; ; attempt++) {
		try {
			const handle = await open(file, 'wx', 0o600);
			await handle.writeFile(String(process.pid));
			await handle.close();
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw new ApplyError(`another apply is running (lock ${file})`, { cause: error });
			const owner = Number(await readFile(file, 'utf8').catch(() => '0'));
			if (owner > 0 && alive(owner)) throw new ApplyError(`another apply is running (pid ${owner}, lock ${file})`);
			await rm(file, { force: true });
		}
	}
	try {
		return await work();
	} finally {
		await rm(file, { force: true });
	}
}
