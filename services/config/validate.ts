// validateConfig: schema checks with field-path messages, then cross-field checks. The single gate
// every config passes before it is stored, rendered or applied.
import type { Config } from './schema.js';
import { fieldIssues } from './field-checks.js';
import { crossChecks } from './cross-checks.js';
import type { ConfigIssue } from './issues.js';

export type { ConfigIssue } from './issues.js';
export { formatIssue, ConfigValidationError } from './issues.js';

export type ValidationResult =
	| { readonly ok: true; readonly config: Config; readonly warnings: ConfigIssue[] }
	| { readonly ok: false; readonly errors: ConfigIssue[]; readonly warnings: ConfigIssue[] };

export interface ValidateOptions {
	/** Clock for certificate validity warnings (tests pin it). */
	readonly now?: Date;
}

export function validateConfig(input: unknown, options: ValidateOptions = {}): ValidationResult {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		return { ok: false, errors: [{ path: '', value: input, message: 'the configuration must be a JSON object' }], warnings: [] };
	}
	const errors = fieldIssues(input);
	if (errors.length > 0) return { ok: false, errors, warnings: [] };
	const config = structuredClone(input) as Config;
	const cross = crossChecks(config, options.now);
	if (cross.errors.length > 0) return { ok: false, errors: cross.errors, warnings: cross.warnings };
	return { ok: true, config, warnings: cross.warnings };
}
