// exlb validate [--config FILE]
import { validateConfig, ConfigValidationError } from '../../config/validate.js';
import { type Context, configFrom, printWarnings } from '../context.js';

export async function validateCommand(context: Context, options: { config?: string }): Promise<void> {
	const config = await configFrom(context, options.config);
	const result = validateConfig(config);
	if (!result.ok) throw new ConfigValidationError(result.errors, options.config);
	printWarnings(context, result.warnings);
	context.io.out(`${options.config ?? 'the running configuration'} is valid${result.warnings.length > 0 ? ` (${result.warnings.length} warning${result.warnings.length > 1 ? 's' : ''})` : ''}`);
}
