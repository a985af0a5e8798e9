// exlb apply [--config FILE] [--controller systemd|none]: make a config the running one, daemons included.
import { apply, type ApplyResult } from '../../apply/apply.js';
import { daemonChanges } from '../../apply/summary.js';
import type { Config } from '../../config/schema.js';
import { type Context, type ControllerName, applyOptions, configFrom, printWarnings } from '../context.js';

/** Applies `config` and reports what happened; shared by apply and import. */
export async function applyAndReport(context: Context, config: Config, controllerFlag: string | undefined): Promise<void> {
	const options = applyOptions(context, controllerFlag);
	reportApplied(context, options, await apply(config, options));
}

/** Prints an apply's warnings and what it did to the daemons and the network; shared by every changing command. */
export function reportApplied(context: Context, options: { readonly controllerName: ControllerName }, result: ApplyResult): void {
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
