// The appliance's firmware platform: the boot state in the GRUB environment block on the ESP, the booted slot from
// the kernel command line, the slots' partitions, the version from release.env, the keys shipped in the image.
// Not wired yet: until it is, every firmware operation on the appliance says so (FirmwarePlatformError).
import { FirmwarePlatformError, type FirmwarePlatform } from './platform.js';

/** `environment`: where EXLB_VERSION comes from (release-version.ts reads release.env without it). */
export function applianceFirmwarePlatform(_environment: NodeJS.ProcessEnv = process.env): FirmwarePlatform {
	throw new FirmwarePlatformError('firmware platform', 'appliance', 'is not available on this machine yet (set EXLB_FIRMWARE_PLATFORM=files:<dir> on a host)');
}
