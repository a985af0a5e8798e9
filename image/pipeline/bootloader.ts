// GRUB for both firmwares, made without grub-install (which needs a real block device):
// BIOS: core.img in the BIOS-boot partition, boot.img in the MBR, two sector pointers patched by hand.
// UEFI: a standalone GRUB EFI binary for EFI/BOOT/BOOTX64.EFI on the ESP.
// Both find their configuration, the boot selection, at (,gpt2)/EFI/exlb on the ESP (grub-config.ts):
// "(,gptN)" means "partition N of the disk I booted from".
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { espBootDir, espPartition, slotPartitions } from './grub-config.js';
import { run } from './step.js';

const grubLib = '/usr/lib/grub';
// loadenv, regexp and probe: the boot selection reads and counts down the boot state, keeps the disk, finds the slot's PARTUUID.
const commonModules = ['part_gpt', 'squash4', 'xzio', 'gzio', 'lzopio', 'fat', 'ext2', 'normal', 'linux', 'boot', 'echo', 'test', 'configfile', 'search', 'serial', 'terminal', 'sleep', 'reboot', 'halt', 'loadenv', 'regexp', 'probe'];

/** Partition number (1-based) of system slot A, where the shipped system goes. */
export const systemAPartition = slotPartitions.A;

export function grubPrefix(): string {
	return `(,gpt${espPartition})/${espBootDir}`;
}

export async function makeBiosCore(outFile: string): Promise<void> {
	await run('grub-mkimage', ['-O', 'i386-pc', '-o', outFile, '-p', grubPrefix(), 'biosdisk', ...commonModules], {
		hint: 'install grub-pc-bin (scripts/host-packages/image.txt)',
	});
}

export async function makeEfiImage(outFile: string): Promise<void> {
	await run('grub-mkimage', ['-O', 'x86_64-efi', '-o', outFile, '-p', grubPrefix(), 'efi_gop', 'efi_uga', 'all_video', ...commonModules], {
		hint: 'install grub-efi-amd64-bin (scripts/host-packages/image.txt)',
	});
}

export async function biosBootImage(): Promise<Buffer> {
	return readFile(path.join(grubLib, 'i386-pc', 'boot.img'));
}

const mbrCodeBytes = 440;
const kernelSectorOffset = 0x5c; // boot.img: LBA of core.img's first sector
const driveCheckOffset = 0x66; // boot.img: jump that trusts the BIOS drive number; grub-bios-setup NOPs it for disks
const blocklistStartOffset = 500; // diskboot.img (core.img's first sector): LBA where the rest of core.img starts

/**
 * Patches a disk image buffer's first sector with GRUB's MBR code and returns core.img patched for
 * its place at `coreLba`. Everything else in sector 0 (the protective MBR's partition table) is kept.
 */
export function patchBiosBoot(mbr: Buffer, bootImg: Buffer, core: Buffer, coreLba: number): Buffer {
	bootImg.copy(mbr, 0, 0, mbrCodeBytes);
	mbr.writeBigUInt64LE(BigInt(coreLba), kernelSectorOffset);
	mbr[driveCheckOffset] = 0x90;
	mbr[driveCheckOffset + 1] = 0x90;
	const patched = Buffer.from(core);
	patched.writeBigUInt64LE(BigInt(coreLba + 1), blocklistStartOffset);
	return patched;
}
