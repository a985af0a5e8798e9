// What the running configuration changes compared to the saved one (lost at reboot unless saved), field by field.
import { pathFromSegments } from './issues.js';

export interface ConfigChange {
	/** Dotted field path as users type it (routes[0].router). */
	readonly path: string;
	readonly saved: unknown;
	readonly running: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Leaf-level differences (lists compared whole, since their entries have no identity). */
export function differences(saved: unknown, running: unknown, segments: string[] = []): ConfigChange[] {
	if (isObject(saved) && isObject(running)) {
		const keys = [...new Set([...Object.keys(saved), ...Object.keys(running)])];
		return keys.flatMap((key) => differences(saved[key], running[key], [...segments, key]));
	}
	return JSON.stringify(saved) === JSON.stringify(running) ? [] : [{ path: pathFromSegments(segments), saved, running }];
}
