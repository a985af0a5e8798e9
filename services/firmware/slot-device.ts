// The inactive system slot as a file: its capacity (a block device's from sysfs, a plain file's size in tests),
// the payload streamed into it in place (never truncated: a block device cannot be, a test file keeps its size).
import { open, readFile, stat } from 'node:fs/promises';
import { runCommand } from '../os/exec.js';
import { SlotError } from './bundle-errors.js';

/** Linux's dev_t split (glibc's major()/minor()). */
function deviceNumbers(rdev: number): { major: number; minor: number } {
	const dev = BigInt(rdev);
	const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
	const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
	return { major, minor };
}

/** How many bytes the slot holds. */
export async function slotCapacity(device: string): Promise<number> {
	let info;
	try {
		info = await stat(device);
	} catch (error: unknown) {
		throw new SlotError('slot device', device, 'cannot be found', { cause: error });
	}
	if (info.isFile()) return info.size;
	if (!info.isBlockDevice()) throw new SlotError('slot device', device, 'is neither a block device nor a file');
	const { major, minor } = deviceNumbers(info.rdev);
	const sectors = await readFile(`/sys/dev/block/${major}:${minor}/size`, 'utf8').catch((error: unknown) => {
		throw new SlotError('slot device', device, `has no size in /sys/dev/block/${major}:${minor}`, { cause: error });
	});
	return Number(sectors.trim()) * 512;
}

/** Writes the chunks at the slot's start, then fsyncs; returns the byte count. */
export async function writeSlot(device: string, chunks: AsyncIterable<Buffer>): Promise<number> {
	const handle = await open(device, 'r+').catch((error: unknown) => {
		throw new SlotError('slot device', device, 'cannot be opened for writing', { cause: error });
	});
	let position = 0;
	try {
		for await (const chunk of chunks) {
			let written = 0;
			while (written < chunk.length) {
				const { bytesWritten } = await handle.write(chunk, written, chunk.length - written, position + written);
				written += bytesWritten;
			}
			position += chunk.length;
		}
		await handle.sync();
	} finally {
		await handle.close();
	}
	return position;
}

/**
 * Before the read-back: a block device's pages are dropped from the kernel's buffer cache (blockdev --flushbufs,
 * the BLKFLSBUF ioctl), so the second hash reads what the disk kept rather than what was just written to memory.
 * A plain file (tests) is read back as it is.
 */
export async function dropSlotCache(device: string): Promise<void> {
	if (!(await stat(device)).isBlockDevice()) return;
	await runCommand('blockdev', ['--flushbufs', device]).catch((error: unknown) => {
		throw new SlotError('slot device', device, 'could not have its cache dropped before the read-back', { cause: error });
	});
}
