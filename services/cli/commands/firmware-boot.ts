// exlb firmware boot-check | boot-good | boot-failed: the boot assessment's three units (services/firmware/boot-check.ts),
// run by systemd around boot-complete.target on the appliance, never by hand.
import { runCommand } from '../../os/exec.js';
import { applianceHealthChecks } from '../../firmware/appliance-boot.js';
import { afterFailedBootCheck, markBootGood, recordRollbackIfAny, runHealthChecks } from '../../firmware/boot-check.js';
import { firmwarePlatformFrom } from '../../firmware/platform-choice.js';
import type { Context } from '../context.js';

export const firmwareBootActions = ['boot-check', 'boot-good', 'boot-failed'] as const;
export type FirmwareBootAction = (typeof firmwareBootActions)[number];

/** Long enough for a slow, emulated first boot to bring the web interface up. */
const healthDeadlineMs = 10 * 60_000;

export async function firmwareBootCommand(context: Context, action: FirmwareBootAction): Promise<void> {
	const platform = firmwarePlatformFrom(context.environment)();
	const bootState = platform.bootState;
	const slot = await platform.bootedSlot();
	const say = (line: string) => context.io.out(`slot ${slot}: ${line}`);
	switch (action) {
		case 'boot-check': {
			const rollback = await recordRollbackIfAny(bootState, slot);
			if (rollback !== undefined) say(`rolled back from slot ${rollback.slot} (${rollback.version ?? 'unknown version'}): its tries ran out before it passed its boot checks`);
			await runHealthChecks(applianceHealthChecks(), healthDeadlineMs, say);
			say('every boot check passed');
			return;
		}
		case 'boot-good':
			say((await markBootGood(bootState, slot)) ? 'marked good' : 'already good');
			return;
		case 'boot-failed': {
			const outcome = await afterFailedBootCheck(bootState, slot, async () => {
				say('on trial and failed its boot checks: rebooting for the next try');
				await runCommand('systemctl', ['reboot']);
			});
			if (outcome === 'kept running') context.io.err(`slot ${slot}: a boot check failed; the slot is not on trial, so it keeps running`);
			return;
		}
	}
}

