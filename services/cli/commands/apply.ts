// exlb apply [--config FILE] [--controller systemd|none]: make a config the running one, daemons included.
import { apply } from '../../apply/apply.js';
import { daemonChanges } from '../../apply/summary.js';
import type { Config } from '../../config/schema.js';
import { type Context, applyOptions, configFrom, printWarnings } from '../context.js';

/** Applies `config` and reports what happened; shared by apply, set and import. */
export async function applyAndReport(context: Context, config: Config, controllerFlag: string | undefined): Promise<void> {
	const options = applyOptions(context, controllerFlag);
	const result = await apply(config, options);
	printWarnings(context, result.warnings);
	if (options.controllerName === 'none') {
		context.io.out('applied: rendered, checked and swapped (controller none: no daemon started or reloaded)');
		return;
	}
	const parts = [...daemonChanges(result), ...(result.networkChanged ? ['network reconfigured'] : [])];
	context.io.out(`applied${parts.length > 0 ? `: ${parts.join('; ')}` : ' (nothing changed)'}`);
}

export async function applyCommand(context: Context, options: { config?: string; controller?: string }): Promise<void> {
	await applyAndReport(context, await configFrom(context, options.config), options.controller);
}
