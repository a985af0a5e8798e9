// exlb firmware status | install FILE [--force] | boot-previous | verify FILE [--force] [--keys DIR]: the firmware's
// slots, the install of an update bundle into the slot not running (its steps printed as they are done), the boot of
// the other, good slot, and the check of a bundle the way an install would (signature against the trusted keys,
// compatible string, version policy against the running version, payload size and SHA-256), streamed, writing nothing.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ResultOf } from '../../engine/protocol.js';
import { loadTrustedKeys, trustedKeysDir } from '../../firmware/bundle-keys.js';
import { verifyBundle } from '../../firmware/bundle-read.js';
import { releaseVersion } from '../../firmware/release-version.js';
import { cliActor, cliService } from '../appliance.js';
import { type Context, UsageError } from '../context.js';
import { firmwareBootCommand } from './firmware-boot.js';

const usage = 'usage: exlb firmware status | firmware install FILE [--force] | firmware boot-previous | firmware verify FILE [--force] [--keys DIR]';

type FirmwareStatus = ResultOf<'firmware.status'>;

/** One line per slot: its name, version, state, and whether it runs and boots next. */
export function slotLines(status: FirmwareStatus): string[] {
	return status.slots.map((slot) => {
		const state = slot.status === 'trying' ? `trying (${slot.triesLeft ?? 0} tries left)` : slot.status;
		const marks = [slot.booted ? 'running' : '', slot.next ? 'boots next' : ''].filter(Boolean).join(', ');
		return `slot ${slot.slot}\t${slot.version ?? 'no version'}\t${state}${marks === '' ? '' : `\t${marks}`}`;
	});
}

function printStatus(context: Context, status: FirmwareStatus): void {
	for (const line of slotLines(status)) context.io.out(line);
	if (status.rolledBackFrom !== undefined) {
		const { slot, version } = status.rolledBackFrom;
		context.io.out(`rolled back from slot ${slot}${version === undefined ? '' : ` (${version})`}: it did not pass its health checks within its tries`);
	}
}

/** A file argument that can be read, else a usage error naming it. */
async function readableFile(file: string | undefined): Promise<string> {
	if (file === undefined) throw new UsageError(usage);
	await stat(file).catch((error: unknown) => {
		throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
	});
	return file;
}

async function verify(context: Context, file: string, options: { force?: boolean; keys?: string }): Promise<void> {
	const policy = { trustedKeys: await loadTrustedKeys(options.keys ?? trustedKeysDir), runningVersion: await releaseVersion(context.environment), force: options.force === true };
	const { manifest, signer } = await verifyBundle(createReadStream(file), policy);
	context.io.out(
		`${file}: ${manifest.product} ${manifest.version} for ${manifest.compatible}, signed by key ${signer.keyId}; ` +
			`${manifest.payload.name} ${manifest.payload.size} bytes, SHA-256 ${manifest.payload.sha256}: verified (running ${policy.runningVersion})`,
	);
}

async function install(context: Context, file: string, options: { force?: boolean }): Promise<void> {
	const status = await cliService(context, 'none').firmware.install(createReadStream(file), { force: options.force === true, onStep: (step) => context.io.out(step) }, cliActor);
	const record = status.install;
	context.io.out(`version ${record?.version ?? 'unknown'} installed in slot ${record?.slot ?? '?'}: it boots next, with ${record?.tries ?? '?'} tries to pass its health checks; reboot to run it`);
	printStatus(context, status);
}

export async function firmwareCommand(context: Context, options: { force?: boolean; keys?: string }, args: string[]): Promise<void> {
	const [action, file] = args;
	const takes = (count: number, flags: readonly string[]) => {
		if (args.length !== count + 1) throw new UsageError(usage);
		const stray = Object.keys(options).find((flag) => !flags.includes(flag));
		if (stray !== undefined) throw new UsageError(`firmware ${action} does not take --${stray}\n${usage}`);
	};
	switch (action) {
		case 'status':
			takes(0, []);
			return printStatus(context, await cliService(context, 'none').firmware.status());
		case 'install':
			takes(1, ['force']);
			return install(context, await readableFile(file), options);
		case 'boot-previous': {
			takes(0, []);
			const status = await cliService(context, 'none').firmware.bootPrevious(cliActor);
			context.io.out(`slot ${status.next} boots next; reboot to run it`);
			return printStatus(context, status);
		}
		case 'verify':
			takes(1, ['force', 'keys']);
			return verify(context, await readableFile(file), options);
		case 'boot-check':
		case 'boot-good':
		case 'boot-failed':
			takes(0, []);
			return firmwareBootCommand(context, action);
		default:
			throw new UsageError(usage);
	}
}
