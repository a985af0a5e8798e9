// The appliance service as the CLI uses it: this machine's apply options, systemd (or nothing), the audit log.
import { AuditLog } from '../appliance/audit-log.js';
import { ApplianceService } from '../appliance/service.js';
import { noSystemControl, systemdControl } from '../appliance/system-control.js';
import type { Actor } from '../engine/protocol.js';
import { firmwarePlatformFrom } from '../firmware/platform-choice.js';
import { type Context, applyOptions } from './context.js';

export const cliActor: Actor = { user: 'root', address: '', via: 'cli' };

export function cliService(context: Context, controllerFlag?: string): ApplianceService {
	const options = applyOptions(context, controllerFlag);
	return new ApplianceService({
		apply: options,
		system: options.controllerName === 'systemd' ? systemdControl : noSystemControl((line) => context.io.err(line)),
		audit: new AuditLog(context.paths.auditLog, () => {}),
		release: { version: context.environment.EXLB_VERSION ?? 'unknown', buildDate: context.environment.EXLB_BUILD_DATE ?? 'unknown' },
		accountFiles: [context.paths.adminPasswordFile, context.paths.apiTokensFile],
		firmwarePlatform: firmwarePlatformFrom(context.environment),
	});
}
