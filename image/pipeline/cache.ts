// Stage cache: each stage's output lives in a directory named by a hash of its inputs, under
// ${EXLB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/exlb}. A stage is built in a temp directory and
// renamed into place only when complete, so a half-built stage is never trusted.
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readlink, rename, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lastLines, oneLine, tryCommand } from '../../services/os/exec.js';
import { processAlive } from '../../services/os/pid.js';
import { sha256File } from '../../services/fs/sha256-file.js';
import { log } from './step.js';

export function cacheRoot(): string {
	if (process.env.EXLB_CACHE_DIR) return path.resolve(process.env.EXLB_CACHE_DIR);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'exlb');
}

export function sha256(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

export { sha256File } from '../../services/fs/sha256-file.js';

/** Hash of a directory tree: sorted relative paths, modes, file contents and link targets. */
export async function hashTree(root: string): Promise<string> {
	const hash = createHash('sha256');
	async function walk(dir: string): Promise<void> {
		for (const name of (await readdir(dir)).sort()) {
			const full = path.join(dir, name);
			const info = await lstat(full);
			hash.update(`${path.relative(root, full)}\0${info.mode}\0`);
			if (info.isSymbolicLink()) hash.update(`link:${await readlink(full)}\0`);
			else if (info.isDirectory()) await walk(full);
			else hash.update(`${await sha256File(full)}\0`);
		}
	}
	await walk(root);
	return hash.digest('hex');
}

const completeMarker = '.exlb-stage-complete';
const keptPerStage = 3;

export interface Stage {
	/** Directory holding the stage's outputs. */
	readonly dir: string;
	readonly key: string;
	readonly cached: boolean;
}

/**
 * Returns the stage directory for these inputs, building it with `build(tmpDir)` when absent.
 * `inputs` must contain everything the outputs depend on.
 */
export async function cachedStage(name: string, inputs: unknown, build: (dir: string) => Promise<void>): Promise<Stage> {
	const key = sha256(JSON.stringify(inputs)).slice(0, 20);
	const root = cacheRoot();
	const dir = path.join(root, `${name}-${key}`);
	await mkdir(root, { recursive: true });
	if (await exists(path.join(dir, completeMarker))) {
		log(`  cache hit: ${dir}`);
		// Used now: pruning keeps the most recently used outputs, not the most recently built.
		const now = new Date();
		await utimes(dir, now, now);
		return { dir, key, cached: true };
	}
	const tmp = `${dir}.tmp-${process.pid}`;
	await removeStageDir(tmp);
	await removeStageDir(dir); // an incomplete leftover
	await mkdir(tmp, { recursive: true });
	try {
		await build(tmp);
		await writeFile(path.join(tmp, completeMarker), `${JSON.stringify(inputs, null, 1)}\n`);
		await rename(tmp, dir);
	} catch (error: unknown) {
		await removeStageDir(tmp);
		// Another build on this machine finished the same stage first: use its complete output.
		if (await exists(path.join(dir, completeMarker))) return { dir, key, cached: true };
		throw error;
	}
	await pruneOldStages(root, name, dir);
	return { dir, key, cached: false };
}

/**
 * Removes a stage directory without crossing into another file system: a rootfs build that was killed
 * can leave the host's /proc, /sys or a devpts mounted inside its temp dir, and a plain recursive delete
 * would walk into them. Those mounts are reported instead, for the user to unmount.
 */
async function removeStageDir(dir: string): Promise<void> {
	if (!(await exists(dir))) return;
	const outcome = await tryCommand('rm', ['--recursive', '--force', '--one-file-system', dir]);
	if (outcome.failure !== null) {
		throw new Error(`cannot remove ${dir} (a killed build may have left mounts inside: see "grep ${dir} /proc/mounts" and unmount them): ${oneLine(lastLines(outcome.output, 3))}`);
	}
}

async function exists(file: string): Promise<boolean> {
	return stat(file).then(() => true, () => false);
}

/** Keeps the newest few complete outputs of a stage; deletes older ones and leftover temp dirs of dead builds. */
async function pruneOldStages(root: string, name: string, keep: string): Promise<void> {
	const pattern = new RegExp(`^${name}-[0-9a-f]{20}(\\.tmp-\\d+)?$`);
	const entries = await Promise.all(
		(await readdir(root)).filter((entry) => pattern.test(entry)).map(async (entry) => ({ entry, mtime: (await stat(path.join(root, entry))).mtimeMs })),
	);
	const others = entries.filter(({ entry }) => path.join(root, entry) !== keep);
	// Dead builds' temp dirs go, and do not count among the kept outputs.
	const deadTemps = others.filter(({ entry }) => entry.includes('.tmp-') && !processAlive(Number(entry.split('.tmp-')[1])));
	const olderOutputs = others.filter(({ entry }) => !entry.includes('.tmp-')).sort((a, b) => b.mtime - a.mtime).slice(keptPerStage - 1);
	for (const { entry } of [...deadTemps, ...olderOutputs]) await removeStageDir(path.join(root, entry));
}
