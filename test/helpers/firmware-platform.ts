// A files firmware platform (services/firmware/files-platform.ts) laid out for a test: two slot files of a fixed
// size, slot A booted, good and running `version`, slot B empty, and `keys` trusted. What the unit, CLI, API and
// browser tests install into (EXLB_FIRMWARE_PLATFORM=files:<dir>).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { filesFirmwarePlatform, filesPlatformLayout } from '../../services/firmware/files-platform.js';
import type { BootStateSnapshot, SlotName } from '../../services/firmware/boot-state.js';
import type { FirmwarePlatform } from '../../services/firmware/platform.js';
import type { TestKey } from './firmware-bundles.js';

/** Large enough for the test bundles' payloads (a few hundred KiB). */
export const testSlotBytes = 1024 * 1024;
/** What a slot holds before anything is written to it. */
export const emptySlotByte = 0xee;

export interface TestPlatform {
	readonly dir: string;
	readonly platform: FirmwarePlatform;
	/** EXLB_FIRMWARE_PLATFORM for a process that should use it. */
	readonly variable: string;
	/** The boot state file's bytes, exactly. */
	bootStateText(): Promise<string>;
	slotBytes(slot: SlotName): Promise<Buffer>;
	/** Stands for a reboot into `slot` (the files platform's running slot). */
	bootInto(slot: SlotName): Promise<void>;
	/** Writes a boot state, as the boot loader and the health check would have left it. */
	writeBootState(snapshot: BootStateSnapshot): Promise<void>;
}

export async function makeTestPlatform(dir: string, keys: readonly TestKey[], version = '1.0.0', slotBytes = testSlotBytes): Promise<TestPlatform> {
	await mkdir(path.join(dir, filesPlatformLayout.keysDir), { recursive: true });
	for (const key of keys) {
		await writeFile(path.join(dir, filesPlatformLayout.keysDir, `${key.trusted.keyId}.pem`), key.trusted.key.export({ type: 'spki', format: 'pem' }));
	}
	for (const slot of ['A', 'B'] as const) await writeFile(path.join(dir, filesPlatformLayout.slot(slot)), Buffer.alloc(slotBytes, emptySlotByte));
	const writeBootState = (snapshot: BootStateSnapshot) => writeFile(path.join(dir, filesPlatformLayout.bootState), `${JSON.stringify(snapshot, null, 2)}\n`);
	await writeBootState({ primary: 'A', slots: { A: { status: 'good', version }, B: { status: 'bad' } } });
	const bootInto = (slot: SlotName) => writeFile(path.join(dir, filesPlatformLayout.bootedSlot), `${slot}\n`);
	await bootInto('A');
	return {
		dir,
		platform: filesFirmwarePlatform(dir),
		variable: `files:${dir}`,
		bootStateText: () => readFile(path.join(dir, filesPlatformLayout.bootState), 'utf8'),
		slotBytes: (slot) => readFile(path.join(dir, filesPlatformLayout.slot(slot))),
		bootInto,
		writeBootState,
	};
}
