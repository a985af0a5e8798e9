// exlb diff: what the running configuration changes compared to the saved one (lost at reboot unless saved).
import { loadRunningConfig, loadSavedConfig } from '../../config/store.js';
import { defaultConfig } from '../../config/schema.js';
import { differences } from '../../config/diff.js';
import type { Context } from '../context.js';

export async function diffCommand(context: Context): Promise<void> {
	const saved = await loadSavedConfig(context.paths);
	const running = await loadRunningConfig(context.paths);
	const changes = differences(saved ?? defaultConfig(), running);
	if (changes.length === 0) {
		context.io.out(`no difference between the running and the ${saved === null ? 'factory (nothing saved)' : 'saved'} configuration`);
		return;
	}
	for (const change of changes) context.io.out(`${change.path}: ${JSON.stringify(change.saved)} (saved) → ${JSON.stringify(change.running)} (running)`);
}
