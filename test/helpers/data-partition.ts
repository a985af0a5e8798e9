// A copy of a built disk with files put into its data partition (ext4, EXLB-DATA) before the first boot, e.g. a saved
// configuration, so a QEMU test can boot an appliance already configured. No mount: the partition is cut out with dd,
// written with debugfs and put back. The built image is never modified.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { loadRecipe } from '../../image/pipeline/recipe.js';

interface SfdiskPartition {
	readonly start: number;
	readonly size: number;
	readonly name?: string;
}

/** Byte offset and length of a partition in a raw disk, found by its GPT name (the recipe's disk.partitionNames). */
export async function partitionExtent(raw: string, name: string): Promise<{ offset: number; length: number }> {
	const table = JSON.parse((await execa('sfdisk', ['--json', raw])).stdout) as { partitiontable: { sectorsize?: number; partitions: SfdiskPartition[] } };
	const sector = table.partitiontable.sectorsize ?? 512;
	const partition = table.partitiontable.partitions.find((entry) => entry.name === name);
	if (partition === undefined) throw new Error(`${raw} has no partition named ${name}`);
	return { offset: partition.start * sector, length: partition.size * sector };
}

/**
 * Writes `files` (path inside the data partition, e.g. "config/exlb.json" → content; the directory must exist in the
 * built partition) into a raw copy of `disk` made in `workDir`; returns that copy (a .img, which QEMU reads as raw).
 */
export async function diskWithDataFiles(disk: string, files: Record<string, string>, workDir: string): Promise<string> {
	const raw = path.join(workDir, 'disk.img');
	await execa('qemu-img', ['convert', '-O', 'raw', disk, raw]);
	const { offset, length } = await partitionExtent(raw, (await loadRecipe()).disk.partitionNames.data);
	const data = path.join(workDir, 'data.ext4');
	const bytes = ['iflag=skip_bytes,count_bytes', `skip=${offset}`, `count=${length}`];
	await execa('dd', [`if=${raw}`, `of=${data}`, 'bs=1M', ...bytes, 'status=none']);
	const commands: string[] = [];
	for (const [index, [target, content]] of Object.entries(files).entries()) {
		const local = path.join(workDir, `data-file-${index}`);
		await writeFile(local, content, { mode: 0o600 });
		commands.push(`cd /${path.posix.dirname(target)}`, `write ${local} ${path.posix.basename(target)}`);
	}
	const script = path.join(workDir, 'debugfs.cmd');
	await writeFile(script, `${commands.join('\n')}\n`);
	const result = await execa('debugfs', ['-w', '-f', script, data], { all: true });
	// debugfs exits 0 even when a command fails: its complaints are the proof.
	const echoed = new Set(commands.map((command) => `debugfs: ${command}`));
	const complaints = (result.all ?? '').split('\n').filter((line) => line !== '' && !echoed.has(line) && !/^debugfs [0-9.]+ \(/.test(line) && !line.startsWith('Allocated inode'));
	if (complaints.length > 0) throw new Error(`debugfs could not write into the data partition: ${complaints.join(' | ')}`);
	await execa('dd', [`if=${data}`, `of=${raw}`, 'bs=1M', 'oflag=seek_bytes', `seek=${offset}`, 'conv=notrunc', 'status=none']);
	return raw;
}
