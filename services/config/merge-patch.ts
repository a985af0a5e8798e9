// JSON Merge Patch (RFC 7396), the body of PATCH /api/v1/config: objects merge key by key, null removes a key,
// anything else (arrays included) replaces. Written out because it is the RFC's ten-line algorithm; the result
// is then validated whole, so a removed required key or an unknown one is refused by name.
import { ConfigValidationError } from './issues.js';

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys that would reach an object's prototype instead of the configuration. */
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

export function applyMergePatch(target: unknown, patch: unknown, segments: readonly string[] = []): unknown {
	if (!isObject(patch)) return structuredClone(patch);
	const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
	for (const [key, value] of Object.entries(patch)) {
		if (forbiddenKeys.has(key)) {
			throw new ConfigValidationError([{ path: [...segments, key].join('.'), value: key, message: `${JSON.stringify(key)} is not a configuration field` }]);
		}
		if (value === null) delete result[key];
		else result[key] = applyMergePatch(result[key], value, [...segments, key]);
	}
	return result;
}
