// exlb factory-reset --level configuration|everything --yes: back to factory settings (the CLI runs as root on the
// appliance, so --yes stands for the web interface's password check). configuration: load-balancing settings,
// certificates, history, web accounts and tokens erased, network kept, in force at once; everything: the data
// partition is re-created at the next boot, and the appliance reboots (with the systemd controller).
import { resetLevels, type ResetLevel } from '../../engine/protocol.js';
import { cliActor, cliService } from '../appliance.js';
import { type Context, UsageError } from '../context.js';

export async function factoryResetCommand(context: Context, options: { level?: string; yes?: boolean; controller?: string }): Promise<void> {
	const level = options.level;
	if (level === undefined || !resetLevels.includes(level as ResetLevel)) {
		throw new UsageError(`--level must be ${resetLevels.join(' or ')}${level === undefined ? '' : ` (not ${JSON.stringify(level)})`}`);
	}
	if (options.yes !== true) throw new UsageError(`factory-reset --level ${level} erases settings that cannot be brought back (only from a backup): add --yes`);
	await cliService(context, options.controller).factoryReset(cliActor, { level: level as ResetLevel, reboot: level === 'everything' });
	context.io.out(level === 'configuration'
		? 'factory settings applied and saved; the network settings were kept; certificates, history, web accounts and tokens erased'
		: 'the data partition will be re-created at the next boot (the saved settings are already erased); rebooting');
}
