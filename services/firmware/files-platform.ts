// The firmware platform as plain files in one directory, for tests and hosts: slot-A.img and slot-B.img (files of a
// fixed size standing in for the partitions), booted-slot (the text A or B: which one "runs"; absent: A),
// boot-state.json (JsonFileBootState) and keys/*.pem (the trusted public keys). The running version is the booted
// slot's version in the boot state, so writing B to booted-slot after an install stands for the reboot into it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { JsonFileBootState } from './boot-state-file.js';
import type { SlotName } from './boot-state.js';
import { FirmwarePlatformError, type FirmwarePlatform } from './platform.js';

export const filesPlatformLayout = {
	bootedSlot: 'booted-slot',
	bootState: 'boot-state.json',
	keysDir: 'keys',
	slot: (slot: SlotName) => `slot-${slot}.img`,
} as const;

export function filesFirmwarePlatform(dir: string, options: { readonly shippedVersion?: string | undefined } = {}): FirmwarePlatform {
	const bootState = new JsonFileBootState(path.join(dir, filesPlatformLayout.bootState), options.shippedVersion);
	const bootedSlotFile = path.join(dir, filesPlatformLayout.bootedSlot);
	const bootedSlot = async (): Promise<SlotName> => {
		let text: string;
		try {
			text = (await readFile(bootedSlotFile, 'utf8')).trim();
		} catch (error: unknown) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'A';
			throw new FirmwarePlatformError(bootedSlotFile, null, 'cannot be read', { cause: error });
		}
		if (text !== 'A' && text !== 'B') throw new FirmwarePlatformError(bootedSlotFile, text, 'is neither A nor B');
		return text;
	};
	return {
		bootState,
		bootedSlot,
		slotDevice: (slot) => path.join(dir, filesPlatformLayout.slot(slot)),
		async runningVersion() {
			const slot = await bootedSlot();
			const version = (await bootState.read()).slots[slot].version;
			if (version === undefined) throw new FirmwarePlatformError(`slot ${slot} version`, null, `is not in ${bootState.file}: the running version is unknown`);
			return version;
		},
		trustedKeysDir: path.join(dir, filesPlatformLayout.keysDir),
	};
}
