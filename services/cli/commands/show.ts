// exlb show [PATH] [--config FILE]: the configuration, or one field of it, as JSON.
import { parseFieldPath, getAt } from '../../config/field-path.js';
import { type Context, configFrom } from '../context.js';

export async function showCommand(context: Context, options: { config?: string }, fieldPath: string | undefined): Promise<void> {
	const config = await configFrom(context, options.config);
	const value = fieldPath === undefined ? config : getAt(config, parseFieldPath(fieldPath));
	context.io.out(JSON.stringify(value, null, 2));
}
