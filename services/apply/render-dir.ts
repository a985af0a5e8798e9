// The render dir the daemons read is a symlink to a versioned directory: a new render is written and checked
// beside it, then the link is replaced with one rename, so a daemon never reads a half-written set of files.
import { lstat, mkdir, readFile, readlink, rename, rm, symlink, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DaemonConfigName, RenderedFiles } from '../render/index.js';

export const daemonFiles: readonly DaemonConfigName[] = ['haproxy.cfg', 'stunnel.conf', 'keepalived.conf'];

export type DaemonTexts = Record<DaemonConfigName, string | null>;

export async function readRendered(dir: string): Promise<DaemonTexts> {
	const read = (name: string) => readFile(path.join(dir, name), 'utf8').catch(() => null);
	return { 'haproxy.cfg': await read('haproxy.cfg'), 'stunnel.conf': await read('stunnel.conf'), 'keepalived.conf': await read('keepalived.conf') };
}

async function syncDir(dir: string): Promise<void> {
	const handle = await open(dir, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Writes a candidate render dir next to renderDir (same file system, so the swap is one rename). */
export async function writeCandidate(renderDir: string, files: RenderedFiles): Promise<string> {
	const parent = path.dirname(renderDir);
	await mkdir(parent, { recursive: true });
	const candidate = path.join(parent, `${path.basename(renderDir)}.${Date.now()}-${randomBytes(4).toString('hex')}`);
	await mkdir(candidate, { mode: 0o755 });
	for (const name of daemonFiles) {
		const text = files[name];
		if (text !== null) await writeFile(path.join(candidate, name), text, { mode: 0o644 });
	}
	await syncDir(candidate);
	return candidate;
}

/** Points renderDir at `target` atomically; returns the directory it pointed at before (null if none). */
export async function swapRenderDir(renderDir: string, target: string): Promise<string | null> {
	const parent = path.dirname(renderDir);
	let previous: string | null = null;
	const stat = await lstat(renderDir).catch(() => null);
	if (stat?.isSymbolicLink()) previous = path.resolve(parent, await readlink(renderDir));
	else if (stat?.isDirectory()) {
		// A plain directory from before the symlink layout: move it aside (once).
		previous = `${renderDir}.legacy-${randomBytes(4).toString('hex')}`;
		await rename(renderDir, previous);
	}
	const link = `${renderDir}.swap-${randomBytes(4).toString('hex')}`;
	await symlink(path.basename(target), link);
	await rename(link, renderDir);
	await syncDir(parent);
	return previous;
}

export async function removeDir(dir: string | null): Promise<void> {
	if (dir !== null) await rm(dir, { recursive: true, force: true });
}
