// exlb set PATH VALUE [--config FILE]: changes one field. Without --config the change is applied to the
// running configuration at once (like the original appliance); `exlb save` keeps it across reboots.
import { parseFieldPath, schemaAt, coerceValue, setAt } from '../../config/field-path.js';
import { validateConfig, ConfigValidationError } from '../../config/validate.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { serializeConfig } from '../../config/store.js';
import { changeRunningConfig } from '../../appliance/config-changes.js';
import { type Context, UsageError, applyOptions, configFrom, printWarnings } from '../context.js';
import { reportApplied } from './apply.js';

export async function setCommand(context: Context, options: { config?: string; controller?: string }, args: string[]): Promise<void> {
	if (args.length !== 2) throw new UsageError('set needs PATH VALUE (e.g. exlb set http.casHttpPort 8080)');
	const [fieldPath, text] = args as [string, string];
	const segments = parseFieldPath(fieldPath);
	const value = coerceValue(schemaAt(segments), text);
	if (options.config !== undefined) {
		const result = validateConfig(setAt(await configFrom(context, options.config), segments, value));
		if (!result.ok) throw new ConfigValidationError(result.errors);
		await writeFileAtomic(options.config, serializeConfig(result.config));
		printWarnings(context, result.warnings);
		context.io.out(`${fieldPath} set in ${options.config}`);
		return;
	}
	// Read, change and apply under one lock: a concurrent change is refused, never silently undone.
	const applying = applyOptions(context, options.controller);
	reportApplied(context, applying, await changeRunningConfig(applying, (running) => setAt(running, segments, value)));
}
