// Fills keys missing from a config file with their defaults, so a partial or older file still loads.
// Unknown keys are kept: the validator then names them (allow-list, nothing silently dropped).
import { defaultConfig } from './schema.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fill(value: unknown, defaults: unknown): unknown {
	if (!isPlainObject(value) || !isPlainObject(defaults)) return value;
	const out: Record<string, unknown> = { ...value };
	for (const [key, fallback] of Object.entries(defaults)) {
		out[key] = key in value ? fill(value[key], fallback) : structuredClone(fallback);
	}
	return out;
}

export function withDefaults(input: unknown): unknown {
	return fill(input, defaultConfig());
}
