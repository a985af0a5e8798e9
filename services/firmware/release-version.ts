// The version of the running image: EXLB_VERSION from the environment (the units get it from release.env as an
// EnvironmentFile), else read from the image's release.env itself.
import { readFile } from 'node:fs/promises';
import { FirmwarePlatformError } from './platform.js';

export const releaseFile = '/usr/lib/exlb/release.env';

export async function releaseVersion(environment: NodeJS.ProcessEnv, file = releaseFile): Promise<string> {
	const fromEnvironment = environment.EXLB_VERSION;
	if (fromEnvironment) return fromEnvironment;
	const release = await readFile(file, 'utf8').catch(() => '');
	const version = /^EXLB_VERSION=(.+)$/m.exec(release)?.[1];
	if (version === undefined) throw new FirmwarePlatformError('EXLB_VERSION', null, `is not set and ${file} does not name it: the running version is unknown`);
	return version;
}
