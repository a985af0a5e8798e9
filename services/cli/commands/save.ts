// exlb save: the running configuration is written to the data partition (it survives a reboot).
import { loadRunningConfig, saveConfig } from '../../config/store.js';
import { type Context, printWarnings } from '../context.js';

export async function saveCommand(context: Context): Promise<void> {
	printWarnings(context, await saveConfig(await loadRunningConfig(context.paths), context.paths));
	context.io.out(`saved to ${context.paths.savedConfig}`);
}
