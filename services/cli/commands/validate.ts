// exlb validate [--config FILE]
import { validateConfig, ConfigValidationError } from '../../config/validate.js';
import { type Context, configFrom, printWarnings } from '../context.js';

export async function validateCommand(context: Context, options: { config?: string }): Promise<void> {
	const config = await configFrom(context, options.config);
	const result = validateConfig(config);
	if (!result.ok) throw new ConfigValidationError(result.errors, options.config);
	printWarnings(context, result.warnings);
	const count = result.warnings.length;
	const warnings = count > 0 ? ` (${count} warning${count > 1 ? 's' : ''})` : '';
	context.io.out(`${options.config ?? 'the running configuration'} is valid${warnings}`);
}
