// exlb firmware verify FILE [--force] [--keys DIR]: checks an update bundle the way an install would (signature
// against the trusted keys, compatible string, version policy against the running version, payload size and
// SHA-256), streamed, writing nothing.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { loadTrustedKeys, trustedKeysDir } from '../../firmware/bundle-keys.js';
import { verifyBundle } from '../../firmware/bundle-read.js';
import { type Context, UsageError } from '../context.js';
import { firmwareBootCommand, isFirmwareBootAction } from './firmware-boot.js';

const releaseFile = '/usr/lib/exlb/release.env';

/** EXLB_VERSION from the environment, else from the image's release.env (the units get it as EnvironmentFile). */
async function runningVersion(context: Context): Promise<string> {
	const fromEnvironment = context.environment.EXLB_VERSION;
	if (fromEnvironment) return fromEnvironment;
	const release = await readFile(releaseFile, 'utf8').catch(() => '');
	const version = /^EXLB_VERSION=(.+)$/m.exec(release)?.[1];
	if (version === undefined) throw new UsageError(`the running version is unknown (no EXLB_VERSION, no ${releaseFile}): set EXLB_VERSION`);
	return version;
}

export async function firmwareCommand(context: Context, options: { force?: boolean; keys?: string }, args: string[]): Promise<void> {
	const [action, file] = args;
	if (isFirmwareBootAction(action)) return firmwareBootCommand(context, action);
	if (action !== 'verify' || file === undefined) throw new UsageError('usage: exlb firmware verify FILE [--force] [--keys DIR]');
	await stat(file).catch((error: unknown) => {
		throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
	});
	const policy = { trustedKeys: await loadTrustedKeys(options.keys ?? trustedKeysDir), runningVersion: await runningVersion(context), force: options.force === true };
	const { manifest, signer } = await verifyBundle(createReadStream(file), policy);
	context.io.out(
		`${file}: ${manifest.product} ${manifest.version} for ${manifest.compatible}, signed by key ${signer.keyId}; ` +
			`${manifest.payload.name} ${manifest.payload.size} bytes, SHA-256 ${manifest.payload.sha256}: verified (running ${policy.runningVersion})`,
	);
}
