// The appliance's firmware platform: the boot state in the two GRUB environment block copies on the ESP
// (appliance-boot.ts), the booted slot from the kernel command line, the slots' partitions by name, the version from
// release.env, the keys shipped in the image.
import { applianceBootState, applianceSlotDevice } from './appliance-boot.js';
import { bootedSlot } from './booted-slot.js';
import { trustedKeysDir } from './bundle-keys.js';
import type { FirmwarePlatform } from './platform.js';
import { releaseVersion } from './release-version.js';

export function applianceFirmwarePlatform(environment: NodeJS.ProcessEnv = process.env): FirmwarePlatform {
	return {
		// Slot A's version when neither boot state copy is valid (the boot loader then boots slot A).
		bootState: applianceBootState(environment.EXLB_VERSION),
		bootedSlot: () => bootedSlot(),
		slotDevice: applianceSlotDevice,
		runningVersion: () => releaseVersion(environment),
		trustedKeysDir,
	};
}
