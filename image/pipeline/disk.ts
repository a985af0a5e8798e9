// Stage "disk": the partitioned raw disk, assembled in a plain file (no mounts, no loop devices).
//   1 BIOS boot (GRUB core.img)  2 ESP (FAT: BOOTX64.EFI, the boot selection, the boot state)  3 system A (squashfs)  4 system B (empty)  5 data (ext4)
import { mkdir, open, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { biosBootImage, makeBiosCore, makeEfiImage, patchBiosBoot } from './bootloader.js';
import { cachedStage, type Stage } from './cache.js';
import { bootSelectConfig, espBootDir, espLabel, espPartition, shippedBootEnvCopies, slotPartitions } from './grub-config.js';
import { bootEnvCopyNames } from '../../services/firmware/boot-env.js';
import { BuildStepError } from './errors.js';
import { partitionIds, derivedVolumeId } from './ids.js';
import { sourceDateEpoch, type Recipe } from './recipe.js';
import { run } from './step.js';

const sector = 512;
const mib = 1024 * 1024;
const sectorsPerMiB = mib / sector;

const partitionTypes = {
	biosBoot: '21686148-6449-6E6F-744E-656564454649',
	esp: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
	linux: '0FC63DAF-8483-4772-8E79-3D69D8477DE4',
};

export interface Partition {
	readonly number: number;
	readonly name: string;
	readonly type: string;
	readonly uuid: string;
	readonly startLba: number;
	readonly sizeLba: number;
}

export interface Layout {
	readonly partitions: readonly Partition[];
	readonly totalBytes: number;
}

/** Partitions aligned to 1 MiB, in recipe order, plus 1 MiB at the end for the backup GPT. */
export function diskLayout(recipe: Recipe): Layout {
	const { sizesMiB, partitionNames } = recipe.disk;
	const ids = partitionIds(recipe);
	const wanted = [
		{ name: partitionNames.biosBoot, type: partitionTypes.biosBoot, uuid: ids.biosBoot, mib: sizesMiB.biosBoot },
		{ name: partitionNames.esp, type: partitionTypes.esp, uuid: ids.esp, mib: sizesMiB.esp },
		{ name: partitionNames.systemA, type: partitionTypes.linux, uuid: ids.systemA, mib: sizesMiB.system },
		{ name: partitionNames.systemB, type: partitionTypes.linux, uuid: ids.systemB, mib: sizesMiB.system },
		{ name: partitionNames.data, type: partitionTypes.linux, uuid: ids.data, mib: sizesMiB.data },
	];
	let next = sectorsPerMiB;
	const partitions = wanted.map((want, index) => {
		const partition = { number: index + 1, name: want.name, type: want.type, uuid: want.uuid, startLba: next, sizeLba: want.mib * sectorsPerMiB };
		next += partition.sizeLba;
		return partition;
	});
	return { partitions, totalBytes: (next + sectorsPerMiB) * sector };
}

export function sfdiskScript(recipe: Recipe, layout: Layout): string {
	const lines = ['label: gpt', `label-id: ${partitionIds(recipe).disk}`, 'unit: sectors', `first-lba: ${sectorsPerMiB}`, ''];
	for (const p of layout.partitions) {
		lines.push(`start=${p.startLba}, size=${p.sizeLba}, type=${p.type}, uuid=${p.uuid}, name="${p.name.replaceAll('"', '')}"`);
	}
	return `${lines.join('\n')}\n`;
}

export function partition(layout: Layout, number: number): Partition {
	const found = layout.partitions.find((p) => p.number === number);
	if (found === undefined) throw new Error(`disk layout has no partition ${number}`);
	return found;
}

/** The ESP: the UEFI boot loader, the boot selection and the boot state's two copies (grub-config.ts). */
async function makeEsp(recipe: Recipe, dir: string, sizeMiB: number, env: Record<string, string>): Promise<string> {
	const efi = path.join(dir, 'BOOTX64.EFI');
	await makeEfiImage(efi);
	const bootFiles = path.join(dir, 'esp-boot');
	await mkdir(bootFiles, { recursive: true });
	await writeFile(path.join(bootFiles, 'grub.cfg'), bootSelectConfig(recipe));
	const copies = shippedBootEnvCopies(recipe);
	for (const [index, name] of bootEnvCopyNames.entries()) await writeFile(path.join(bootFiles, name), copies[index]!);
	const files = [efi, ...['grub.cfg', ...bootEnvCopyNames].map((name) => path.join(bootFiles, name))];
	const epoch = sourceDateEpoch(recipe);
	for (const file of files) await utimes(file, epoch, epoch);
	const image = path.join(dir, 'esp.img');
	const hint = 'install dosfstools and mtools (scripts/host-packages/image.txt)';
	await run('mkfs.fat', ['-C', '-F', '32', '-n', espLabel, '-i', derivedVolumeId(recipe, 'esp'), '--invariant', image, String(sizeMiB * 1024)], { hint, env });
	await run('mmd', ['-i', image, '::/EFI', '::/EFI/BOOT', `::/${espBootDir}`], { hint, env });
	await run('mcopy', ['-m', '-i', image, efi, '::/EFI/BOOT/BOOTX64.EFI'], { hint, env });
	await run('mcopy', ['-m', '-i', image, ...files.slice(1), `::/${espBootDir}/`], { hint, env });
	return image;
}

async function makeDataFs(recipe: Recipe, dir: string, sizeMiB: number, env: Record<string, string>): Promise<string> {
	const skeleton = path.join(dir, 'data-skeleton');
	for (const sub of ['config', 'certs', 'log']) await mkdir(path.join(skeleton, sub), { recursive: true, mode: sub === 'certs' ? 0o700 : 0o755 });
	const image = path.join(dir, 'data.img');
	const uuid = partitionIds(recipe).dataFs;
	await run('mkfs.ext4', ['-q', '-F', '-L', recipe.disk.dataLabel, '-U', uuid, '-E', `hash_seed=${uuid},root_owner=0:0`, '-m', '1', '-d', skeleton, image, `${sizeMiB}M`], {
		hint: 'install e2fsprogs (scripts/host-packages/image.txt)',
		env,
	});
	return image;
}

async function place(image: string, raw: string, p: Partition): Promise<void> {
	await run('dd', [`if=${image}`, `of=${raw}`, 'bs=1M', `seek=${p.startLba * sector}`, 'oflag=seek_bytes', 'conv=notrunc,sparse', 'status=none'], {
		hint: `writing partition ${p.number} (${p.name}): check free disk space`,
	});
}

export async function buildDisk(recipe: Recipe, system: Stage): Promise<Stage> {
	const layout = diskLayout(recipe);
	const inputs = { stage: 'disk/2', bootSelect: bootSelectConfig(recipe), bootEnv: shippedBootEnvCopies(recipe).map((copy) => copy.toString('base64')), system: system.key, layout, version: recipe.version, label: recipe.disk.dataLabel, epoch: sourceDateEpoch(recipe), grub: await grubVersion() };
	return cachedStage('disk', inputs, async (dir) => {
		await assembleDisk(recipe, dir, path.join(system.dir, 'system.squashfs'));
	});
}

/**
 * Writes `dir`/disk.raw: the partition table, the boot loaders, the ESP, `systemA` in slot A (and `systemB` in
 * slot B: the boot selection tests), the empty data file system.
 */
export async function assembleDisk(recipe: Recipe, dir: string, systemA: string, systemB?: string): Promise<string> {
	const layout = diskLayout(recipe);
	const epoch = String(sourceDateEpoch(recipe));
	const env = { SOURCE_DATE_EPOCH: epoch, E2FSPROGS_FAKE_TIME: epoch };
	const slots = [{ file: systemA, partition: partition(layout, slotPartitions.A) }, ...(systemB === undefined ? [] : [{ file: systemB, partition: partition(layout, slotPartitions.B) }])];
	for (const slot of slots) {
		const bytes = (await stat(slot.file)).size;
		if (bytes > slot.partition.sizeLba * sector) {
			throw new BuildStepError('disk', `fit ${path.basename(slot.file)} into ${slot.partition.name}`, `${bytes} bytes > ${slot.partition.sizeLba * sector}`, 'raise recipe disk.sizesMiB.system or trim packages');
		}
	}
	const raw = path.join(dir, 'disk.raw');
	await run('truncate', ['-s', String(layout.totalBytes), raw], { hint: 'check free disk space in the cache directory' });
	await run('sfdisk', ['--no-reread', '--no-tell-kernel', '--quiet', raw], { input: sfdiskScript(recipe, layout), hint: 'install fdisk; check recipe disk sizes' });
	const [esp, data] = await Promise.all([makeEsp(recipe, dir, recipe.disk.sizesMiB.esp, env), makeDataFs(recipe, dir, recipe.disk.sizesMiB.data, env)]);
	await place(esp, raw, partition(layout, espPartition));
	for (const slot of slots) await place(slot.file, raw, slot.partition);
	await place(data, raw, partition(layout, 5));
	await installBiosBoot(raw, path.join(dir, 'core.img'), partition(layout, 1));
	await run('rm', ['-f', esp, data], { hint: 'cleanup' });
	return raw;
}

async function installBiosBoot(raw: string, coreFile: string, biosPartition: Partition): Promise<void> {
	await makeBiosCore(coreFile);
	const core = await readFile(coreFile);
	if (core.length > biosPartition.sizeLba * sector) {
		throw new BuildStepError('disk', 'fit core.img into the BIOS boot partition', `${core.length} bytes`, 'raise recipe disk.sizesMiB.biosBoot');
	}
	const handle = await open(raw, 'r+');
	try {
		const mbr = Buffer.alloc(sector);
		await handle.read(mbr, 0, sector, 0);
		const patchedCore = patchBiosBoot(mbr, await biosBootImage(), core, biosPartition.startLba);
		await handle.write(mbr, 0, sector, 0);
		await handle.write(patchedCore, 0, patchedCore.length, biosPartition.startLba * sector);
	} finally {
		await handle.close();
	}
}

async function grubVersion(): Promise<string> {
	return run('dpkg-query', ['-W', '-f=${Version}', 'grub-pc-bin', 'grub-efi-amd64-bin'], { hint: 'install grub-pc-bin and grub-efi-amd64-bin' });
}
