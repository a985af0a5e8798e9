// Writes a file so that readers see either the old content or the new one, never a mix,
// and a power cut never leaves a half-written file: temp file in the same directory, fsync, rename, fsync dir.
import { open, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteOptions {
	/** File mode of the new file (default 0o644). */
	readonly mode?: number;
}

export class AtomicWriteError extends Error {
	override readonly name = 'AtomicWriteError';
	constructor(readonly file: string, options: { cause: unknown }) {
		super(`could not write ${file}: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
	}
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
	const dir = path.dirname(file);
	const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
	try {
		await mkdir(dir, { recursive: true });
		const handle = await open(temp, 'wx', options.mode ?? 0o644);
		try {
			await handle.writeFile(data);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(temp, file);
		await syncDirectory(dir);
	} catch (error) {
		await rm(temp, { force: true });
		throw new AtomicWriteError(file, { cause: error });
	}
}

/** fsyncs a directory so a rename inside it survives a power cut. */
export async function syncDirectory(dir: string): Promise<void> {
	const handle = await open(dir, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}
