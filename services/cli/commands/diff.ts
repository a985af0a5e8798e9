// exlb diff: what the running configuration changes compared to the saved one (lost at reboot unless saved).
import { loadRunningConfig, loadSavedConfig } from '../../config/store.js';
import { defaultConfig } from '../../config/schema.js';
import { pathFromSegments } from '../../config/issues.js';
import type { Context } from '../context.js';

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Leaf-level differences (lists compared whole, since their entries have no identity). */
export function differences(saved: unknown, running: unknown, segments: string[] = []): { path: string; saved: unknown; running: unknown }[] {
	if (isObject(saved) && isObject(running)) {
		const keys = [...new Set([...Object.keys(saved), ...Object.keys(running)])];
		return keys.flatMap((key) => differences(saved[key], running[key], [...segments, key]));
	}
	return JSON.stringify(saved) === JSON.stringify(running) ? [] : [{ path: pathFromSegments(segments), saved, running }];
}

export async function diffCommand(context: Context): Promise<void> {
	const saved = await loadSavedConfig(context.paths);
	const running = await loadRunningConfig(context.paths);
	const changes = differences(saved ?? defaultConfig(), running);
	if (changes.length === 0) {
		context.io.out(`no difference between the running and the ${saved === null ? 'factory (nothing saved)' : 'saved'} configuration`);
		return;
	}
	for (const change of changes) context.io.out(`${change.path}: ${JSON.stringify(change.saved)} (saved) → ${JSON.stringify(change.running)} (running)`);
}
