// exlb diff: what the running configuration changes compared to the saved one (lost at reboot unless saved).
import type { Context } from '../context.js';
import { cliService } from '../appliance.js';

export async function diffCommand(context: Context): Promise<void> {
	const { saved, changes } = await cliService(context, 'none').diff();
	if (changes.length === 0) {
		context.io.out(`no difference between the running and the ${saved ? 'saved' : 'factory (nothing saved)'} configuration`);
		return;
	}
	for (const change of changes) context.io.out(`${change.path}: ${JSON.stringify(change.saved)} (saved) → ${JSON.stringify(change.running)} (running)`);
}
