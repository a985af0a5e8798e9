// Installs an update bundle into the inactive system slot: the manifest, its signature, the compatible string and
// the version policy are verified (bundle-read.ts) before anything is written; the payload is streamed into the slot
// while hashed; the slot is then read back and hashed again; only then is it marked as the next boot with a bounded
// number of tries. A refusal before writing leaves the boot state as it was; once writing starts, the target slot
// is marked bad first (a half-written slot must never count as good), and nothing else changes until the
// read-back matched. Every failure rejects with a BundleError saying why.
import type { Readable } from 'node:stream';
import { sha256File } from '../fs/sha256-file.js';
import { BundleError, SlotError } from './bundle-errors.js';
import type { BundleManifest } from './bundle-manifest.js';
import { readBundle, type BundlePolicy, type VerifiedManifest } from './bundle-read.js';
import { checkTries, type BootState, type SlotName } from './boot-state.js';
import { dropSlotCache, slotCapacity, writeSlot } from './slot-device.js';

/** Boots the new slot gets to pass its health checks before the boot loader goes back to the other one. */
export const defaultTries = 3;

export const installSteps = ['verified', 'written', 'read back', 'marked'] as const;
export type InstallStep = (typeof installSteps)[number];

export interface InstallRequest {
	readonly bundle: Readable;
	readonly policy: BundlePolicy;
	/** The slot that is not running (the caller knows which one booted). */
	readonly slot: SlotName;
	/** Its block device (a plain file in tests). */
	readonly device: string;
	readonly bootState: BootState;
	readonly tries?: number;
	/** Called as each step completes, with the verified manifest (the web interface shows them). */
	readonly onStep?: (step: InstallStep, manifest: BundleManifest) => void;
}

export interface InstallResult extends VerifiedManifest {
	readonly slot: SlotName;
	readonly tries: number;
}

export async function installBundle(request: InstallRequest): Promise<InstallResult> {
	const { device, slot } = request;
	const tries = request.tries ?? defaultTries;
	checkTries(tries);
	const capacity = await slotCapacity(device);
	const verified = await readBundle(request.bundle, request.policy, async ({ manifest }, payload) => {
		if (manifest.payload.size > capacity) {
			throw new SlotError(`slot ${slot} size`, capacity, `is smaller than the payload's ${manifest.payload.size} bytes (${device})`);
		}
		request.onStep?.('verified', manifest);
		if ((await request.bootState.read()).slots[slot].status !== 'bad') await request.bootState.markBad(slot);
		try {
			await writeSlot(device, payload);
		} catch (error: unknown) {
			if (error instanceof BundleError) throw error;
			throw new SlotError(`slot ${slot} device`, device, 'could not be written', { cause: error });
		}
	});
	const { manifest } = verified;
	request.onStep?.('written', manifest);
	const { size, sha256 } = manifest.payload;
	await dropSlotCache(device);
	const readBack = await sha256File(device, size).catch((error: unknown) => {
		throw new SlotError(`slot ${slot} device`, device, 'could not be read back', { cause: error });
	});
	if (readBack !== sha256) throw new SlotError(`slot ${slot} read-back sha256`, readBack, `is not the manifest's ${sha256}: the slot did not keep what was written`);
	request.onStep?.('read back', manifest);
	await request.bootState.markNextBoot(slot, tries, manifest.version);
	request.onStep?.('marked', manifest);
	return { ...verified, slot, tries };
}
