// The validation errors and warnings of the factory configuration changed by `mutate`, as the CLI prints them.
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { validateConfig, formatIssue } from '../../../services/config/validate.js';

export function errorsOf(mutate: (config: Config) => void): string[] {
	const config = defaultConfig();
	mutate(config);
	const result = validateConfig(config);
	return result.ok ? [] : result.errors.map(formatIssue);
}

/** Warnings of a configuration that must be valid (the clock is pinned for certificate dates). */
export function warningsOf(mutate: (config: Config) => void): string[] {
	const config = defaultConfig();
	mutate(config);
	const result = validateConfig(config, { now: new Date('2026-01-01T00:00:00Z') });
	if (!result.ok) throw new Error(`expected a valid config: ${JSON.stringify(result)}`);
	return result.warnings.map(formatIssue);
}
