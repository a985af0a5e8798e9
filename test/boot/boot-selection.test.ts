// The boot selection on the ESP (image/pipeline/grub-config.ts) in the real GRUB, BIOS and UEFI, under QEMU: a
// small disk from the pipeline's own assembly whose two slots hold only a GRUB configuration that prints which
// slot was read and what the selection handed over. No kernel boots, so each case takes seconds. The boot state
// is written before a boot with the appliance's own encoder and read back from the disk after it.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { assembleDisk, diskLayout, partition } from '../../image/pipeline/disk.js';
import { espBootDir, espPartition } from '../../image/pipeline/grub-config.js';
import { partitionIds } from '../../image/pipeline/ids.js';
import { loadRecipe, type Recipe } from '../../image/pipeline/recipe.js';
import { bootEnvCopyNames, decodeBootEnv, encodeBootEnv } from '../../services/firmware/boot-env.js';
import type { BootStateSnapshot, SlotName } from '../../services/firmware/boot-state.js';
import { grubEnvBytes } from '../../services/firmware/grub-env.js';
import { bootGuest, withBootSlot, type Firmware } from '../helpers/qemu.js';

const loaded = await loadRecipe();
// Small slots and data partition: the slots hold a few KiB; the ESP keeps its real size (FAT32).
const recipe: Recipe = { ...loaded, disk: { ...loaded.disk, sizesMiB: { ...loaded.disk.sizesMiB, system: 4, data: 8 } } };
const ids = partitionIds(recipe);
const espOffset = partition(diskLayout(recipe), espPartition).startLba * 512;
const probeTimeoutMs = { bios: 60_000, uefi: 120_000 };

/** The slot's stand-in configuration: says which partition's file GRUB read and the variables it was given, then waits. */
function probeConfig(slot: SlotName): string {
	// One short line each: the console wraps at 80 columns.
	return `menuentry "probe ${slot}" {\n\techo "EXLB-PROBE read=${slot} slot=$exlb_slot"\n\techo "partuuid=$exlb_partuuid."\n\tsleep 3600\n}\n`;
}

async function makeDisk(t: ExecutionContext): Promise<{ dir: string; raw: string }> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-boot-selection-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	const squashfs: string[] = [];
	for (const slot of ['A', 'B'] as const) {
		const tree = path.join(dir, `slot-${slot}`, 'boot', 'grub');
		await mkdir(tree, { recursive: true });
		await writeFile(path.join(tree, 'grub.cfg'), probeConfig(slot));
		const file = path.join(dir, `slot-${slot}.squashfs`);
		await execa('mksquashfs', [path.join(dir, `slot-${slot}`), file, '-noappend', '-quiet', '-no-progress']);
		squashfs.push(file);
	}
	return { dir, raw: await assembleDisk(recipe, dir, squashfs[0]!, squashfs[1]!) };
}

/** A copy of the disk with the two boot state copies replaced (undefined: zeroed). */
async function diskWithState(dir: string, base: string, name: string, copies: [Buffer | undefined, Buffer | undefined]): Promise<string> {
	const raw = path.join(dir, `${name}.raw`);
	await execa('cp', ['--sparse=always', base, raw]);
	for (const [index, copy] of copies.entries()) {
		const file = path.join(dir, `${name}-${bootEnvCopyNames[index]}`);
		await writeFile(file, copy ?? Buffer.alloc(grubEnvBytes));
		await execa('mcopy', ['-o', '-i', `${raw}@@${espOffset}`, file, `::/${espBootDir}/${bootEnvCopyNames[index]}`]);
	}
	return raw;
}

/** The two copies on a guest's disk after it ran (its overlay flattened to raw). */
async function copiesAfter(dir: string, overlay: string): Promise<[Buffer, Buffer]> {
	const raw = path.join(dir, 'after.raw');
	await execa('qemu-img', ['convert', '-O', 'raw', overlay, raw]);
	const read = async (name: string) => (await execa('mcopy', ['-i', `${raw}@@${espOffset}`, `::/${espBootDir}/${name}`, '-'], { encoding: 'buffer' })).stdout as unknown as Buffer;
	const copies: [Buffer, Buffer] = [Buffer.from(await read(bootEnvCopyNames[0])), Buffer.from(await read(bootEnvCopyNames[1]))];
	await rm(raw, { force: true });
	return copies;
}

interface Booted {
	readonly read: string;
	readonly slot: string;
	readonly partuuid: string;
	readonly overlay: string;
}

/** Boots to the probe line (from `disk`, or continuing `overlay`), stops QEMU keeping the overlay. */
async function bootToProbe(t: ExecutionContext, firmware: Firmware, disk: string, overlay?: string): Promise<Booted> {
	const guest = await bootGuest({ name: `boot-selection-${firmware}`, disk, firmware, nics: [], memoryMiB: 256, cpus: 1, ...(overlay === undefined ? {} : { overlay }) });
	try {
		const match = await guest.waitFor(/EXLB-PROBE read=(\w) slot=(\w*)\s+partuuid=([^.\s]*)\./, { timeoutMs: probeTimeoutMs[firmware] });
		return { read: match[1]!, slot: match[2]!, partuuid: match[3]!.toLowerCase(), overlay: guest.overlay };
	} catch (error: unknown) {
		t.log(guest.tail(30));
		throw error;
	} finally {
		await guest.stop({ keepDisk: true });
	}
}

const partuuid = { A: ids.systemA, B: ids.systemB };

function assertBooted(t: ExecutionContext, booted: Booted, slot: SlotName, why: string): void {
	t.is(booted.read, slot, `${why}: slot ${slot}'s configuration was read`);
	t.is(booted.slot, slot, `${why}: exlb_slot handed over`);
	t.is(booted.partuuid, partuuid[slot], `${why}: its PARTUUID handed over (the kernel's root=)`);
}

const goodA = { status: 'good', version: '1.0.0' } as const;
const trialB: BootStateSnapshot = { primary: 'B', slots: { A: goodA, B: { status: 'trying', triesLeft: 2, version: '1.1.0' } } };

async function scenarios(t: ExecutionContext, firmware: Firmware, full: boolean): Promise<void> {
	const { dir, raw } = await makeDisk(t);
	const boot = async (name: string, copies: [Buffer | undefined, Buffer | undefined]) => bootToProbe(t, firmware, await diskWithState(dir, raw, `${firmware}-${name}`, copies));

	// As shipped: copy 0 says slot A is good, copy 1 is zeroed.
	assertBooted(t, await bootToProbe(t, firmware, raw), 'A', 'as shipped');

	// B on trial with 2 tries, in the newer copy: each boot counts one down in that copy (still whole), then A.
	let booted = await boot('trial', [encodeBootEnv({ primary: 'A', slots: { A: goodA, B: { status: 'bad' } } }, 4), encodeBootEnv(trialB, 5)]);
	assertBooted(t, booted, 'B', 'B on trial, 2 tries');
	let [, copy1] = await copiesAfter(dir, booted.overlay);
	t.deepEqual(decodeBootEnv(copy1)?.snapshot.slots.B, { status: 'trying', triesLeft: 1, version: '1.1.0' }, 'GRUB counted a try down, and the copy is still whole');
	booted = await bootToProbe(t, firmware, raw, booted.overlay);
	assertBooted(t, booted, 'B', 'B on trial, 1 try left');
	[, copy1] = await copiesAfter(dir, booted.overlay);
	t.deepEqual(decodeBootEnv(copy1)?.snapshot, { ...trialB, slots: { ...trialB.slots, B: { status: 'trying', triesLeft: 0, version: '1.1.0' } } });
	booted = await bootToProbe(t, firmware, raw, booted.overlay);
	assertBooted(t, booted, 'A', 'B out of tries: back to the good slot');
	if (!full) return;

	// Both copies zeroed (or foreign): the shipped slot A.
	assertBooted(t, await boot('zeroed', [undefined, undefined]), 'A', 'both copies zeroed');
	const goodB: BootStateSnapshot = { primary: 'B', slots: { A: goodA, B: { status: 'good', version: '1.1.0' } } };
	assertBooted(t, await boot('good-b', [encodeBootEnv(goodB, 7), encodeBootEnv(trialB, 6)]), 'B', 'B good and primary in the newer copy');
	// The newer copy torn (its sector 1 from an older write): the older whole copy is in force.
	const torn = Buffer.concat([encodeBootEnv({ ...goodB, primary: 'A' }, 8).subarray(0, 512), encodeBootEnv(goodB, 6).subarray(512)]);
	assertBooted(t, await boot('torn', [encodeBootEnv(goodB, 7), torn]), 'B', 'the newer copy torn: the whole one rules');
	// A primary that is bad: the other, good, slot.
	assertBooted(t, await boot('bad-primary', [encodeBootEnv({ primary: 'B', slots: { A: goodA, B: { status: 'bad', version: '1.1.0' } } }, 3), undefined]), 'A', 'a bad primary');
}

test('BIOS (SeaBIOS, core.img): shipped, trial countdown and rollback, zeroed, newer good slot, torn copy, bad primary', async (t) => {
	await withBootSlot(t, 10 * probeTimeoutMs.bios, () => scenarios(t, 'bios', true));
});

test('UEFI (OVMF, BOOTX64.EFI): shipped, trial countdown and rollback', async (t) => {
	await withBootSlot(t, 5 * probeTimeoutMs.uefi, () => scenarios(t, 'uefi', false));
});
