// exlb save: the running configuration is written to the data partition (it survives a reboot).
import type { Context } from '../context.js';
import { cliActor, cliService } from '../appliance.js';

export async function saveCommand(context: Context): Promise<void> {
	await cliService(context, 'none').save(cliActor);
	context.io.out(`saved to ${context.paths.savedConfig}`);
}
