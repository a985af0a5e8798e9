// Which firmware platform this process uses: EXLB_FIRMWARE_PLATFORM=files:<dir> (tests, a host), else the appliance's.
import { applianceFirmwarePlatform } from './appliance-platform.js';
import { filesFirmwarePlatform } from './files-platform.js';
import { FirmwarePlatformError, type FirmwarePlatform } from './platform.js';

const filesPrefix = 'files:';

/**
 * The platform EXLB_FIRMWARE_PLATFORM names, as a function called at each use (so a machine without one still
 * starts, and says why at the first firmware request): `files:<dir>` (an absolute directory), or, unset, the
 * appliance's. The files platform's slot A is EXLB_VERSION when its boot state file does not exist yet.
 */
export function firmwarePlatformFrom(environment: NodeJS.ProcessEnv): () => FirmwarePlatform {
	const chosen = environment.EXLB_FIRMWARE_PLATFORM;
	if (chosen === undefined || chosen === '') return () => applianceFirmwarePlatform(environment);
	const dir = chosen.startsWith(filesPrefix) ? chosen.slice(filesPrefix.length) : '';
	if (!dir.startsWith('/')) {
		return () => {
			throw new FirmwarePlatformError('EXLB_FIRMWARE_PLATFORM', chosen, 'is not files:<absolute directory> (unset: the appliance\'s own)');
		};
	}
	const platform = filesFirmwarePlatform(dir, { shippedVersion: environment.EXLB_VERSION });
	return () => platform;
}
