// Writes the rendered systemd-networkd files (only what changed, stale exlb files removed).
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';

const ours = /^[0-9]{2}-exlb.*\.(network|netdev)$/;

/** Returns true when something changed (networkd then needs a reload). */
export async function writeNetworkdFiles(dir: string, files: Record<string, string>): Promise<boolean> {
	let changed = false;
	const existing = (await readdir(dir).catch(() => [] as string[])).filter((name) => ours.test(name));
	for (const name of existing) {
		if (!(name in files)) {
			await rm(path.join(dir, name), { force: true });
			changed = true;
		}
	}
	for (const [name, text] of Object.entries(files)) {
		if ((await readFile(path.join(dir, name), 'utf8').catch(() => null)) === text) continue;
		await writeFileAtomic(path.join(dir, name), text, { mode: 0o644 });
		changed = true;
	}
	return changed;
}
