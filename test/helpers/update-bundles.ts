// Version N+1 of the tree `make image` built (N), for the update tests: only the system stage is rebuilt (the version
// lives in its small appended layer), then signed into a bundle with the build's key. breakBootCheck makes the
// test-only system whose boot check fails (EXLB_TEST_BREAK_BOOT_CHECK).
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildUpdateBundle } from '../../image/pipeline/build.js';
import { version } from './image-artifacts.js';

/** X.Y.Z → X.Y.(Z+1). */
export function nextVersion(current: string): string {
	const [major, minor, patch] = current.split(/[.+-]/).map(Number);
	return `${major}.${minor}.${(patch ?? 0) + 1}`;
}

export interface UpdateBundle {
	readonly file: string;
	readonly version: string;
	/** The system squashfs inside it (in the build cache: never modify it). */
	readonly squashfs: string;
}

export async function buildNextBundle(options: { breakBootCheck?: boolean; version?: string } = {}): Promise<UpdateBundle> {
	const outDir = await mkdtemp(path.join(os.tmpdir(), 'exlb-update-'));
	const target = options.version ?? nextVersion(version);
	return buildUpdateBundle({ outDir, breakBootCheck: options.breakBootCheck ?? false, adjustRecipe: (recipe) => ({ ...recipe, version: target }) });
}
