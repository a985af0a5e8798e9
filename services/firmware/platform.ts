// The boundary between the firmware service and the machine it runs on: the boot state, which slot is running,
// each slot's device, the running version and the keys bundles must be signed with. Two implementations: the
// appliance's (GRUB environment block on the ESP, the slots' partitions: appliance-platform.ts) and plain files in a
// directory for tests and hosts (files-platform.ts), chosen by EXLB_FIRMWARE_PLATFORM (platform-choice.ts).
import type { BootState, SlotName } from './boot-state.js';

export interface FirmwarePlatform {
	/** Which slot boots next, how each slot stands, and the rollback to show. */
	readonly bootState: BootState;
	/** The slot this system booted from (the other one is where an install writes). */
	bootedSlot(): Promise<SlotName>;
	/** A slot's block device (a plain file on the files platform). */
	slotDevice(slot: SlotName): string;
	/** The running firmware's version (the version policy compares a bundle with it). */
	runningVersion(): Promise<string>;
	/** The directory of the *.pem public keys a bundle's signature must verify against. */
	readonly trustedKeysDir: string;
}

/** The machine cannot do what was asked of its firmware platform (not there yet, or wrongly chosen). */
export class FirmwarePlatformError extends Error {
	override readonly name = 'FirmwarePlatformError';
	constructor(
		/** What was looked at: the environment variable, the platform, a file of the files platform. */
		readonly field: string,
		readonly value: unknown,
		readonly problem: string,
		options?: { cause?: unknown },
	) {
		super(`${field} ${JSON.stringify(value)}: ${problem}`, options);
	}
}
