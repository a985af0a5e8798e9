// exlb save: the running configuration is written to the data partition (it survives a reboot).
import type { Context } from '../context.js';
import { cliActor, cliService } from '../appliance.js';

export async function saveCommand(context: Context, options: { comment?: string }): Promise<void> {
	const { revision } = await cliService(context, 'none').save(cliActor, options.comment);
	context.io.out(`saved to ${context.paths.savedConfig} (revision ${revision})`);
}
