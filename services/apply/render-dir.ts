// The render dir the daemons read is a symlink to a versioned directory: a new render is written and checked
// beside it, then the link is replaced with one rename, so a daemon never reads a half-written set of files.
import { lstat, mkdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { daemonTexts, allDaemons, configFileName, isStunnel, type RenderedFiles, type Daemon } from '../render/index.js';
import { syncDirectory, writeFileAtomic } from '../fs/atomic-write.js';

export type DaemonTexts = Record<Daemon, string | null>;

export async function readRendered(dir: string): Promise<DaemonTexts> {
	const entries = await Promise.all(
		allDaemons.map(async (daemon) => [daemon, await readFile(path.join(dir, configFileName(daemon)), 'utf8').catch(() => null)] as const),
	);
	return Object.fromEntries(entries) as DaemonTexts;
}

/**
 * The file a daemon is started on. stunnel resolves its config path once (through the render dir's symlink)
 * and re-reads that resolved file on SIGHUP, so it runs on a stable copy beside the render dir instead.
 */
export function daemonConfigPath(renderDir: string, daemon: Daemon): string {
	return isStunnel(daemon) ? path.join(path.dirname(renderDir), configFileName(daemon)) : path.join(renderDir, configFileName(daemon));
}

/** Refreshes a daemon's stable copy from the render dir (before it is started or reloaded). */
export async function syncStableCopy(renderDir: string, daemon: Daemon): Promise<void> {
	if (!isStunnel(daemon)) return;
	await writeFileAtomic(daemonConfigPath(renderDir, daemon), await readFile(path.join(renderDir, configFileName(daemon))), { mode: 0o600 });
}

/** Writes a candidate render dir next to renderDir (same file system, so the swap is one rename). */
export async function writeCandidate(renderDir: string, files: RenderedFiles): Promise<string> {
	const parent = path.dirname(renderDir);
	await mkdir(parent, { recursive: true });
	const candidate = path.join(parent, `${path.basename(renderDir)}.${Date.now()}-${randomBytes(4).toString('hex')}`);
	await mkdir(candidate, { mode: 0o755 });
	for (const [daemon, text] of Object.entries(daemonTexts(files))) {
		if (text !== null) await writeFile(path.join(candidate, configFileName(daemon as Daemon)), text, { mode: 0o644 });
	}
	await syncDirectory(candidate);
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
	await syncDirectory(parent);
	return previous;
}

export async function removeDir(dir: string | null): Promise<void> {
	if (dir !== null) await rm(dir, { recursive: true, force: true });
}
