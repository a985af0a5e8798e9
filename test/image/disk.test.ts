import { readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { patchBiosBoot } from '../../image/pipeline/bootloader.js';
import { diskLayout, sfdiskScript } from '../../image/pipeline/disk.js';
import { derivedUuid } from '../../image/pipeline/ids.js';
import { imageDir, parseRecipe } from '../../image/pipeline/recipe.js';

const recipe = async () => parseRecipe(JSON.parse(await readFile(path.join(imageDir, 'recipe.json'), 'utf8')), '0.1.0');

test('partitions are 1 MiB aligned, in order, with two equal system slots and room for the backup GPT', async (t) => {
	const r = await recipe();
	const layout = diskLayout(r);
	t.deepEqual(layout.partitions.map((p) => p.number), [1, 2, 3, 4, 5]);
	for (const p of layout.partitions) t.is(p.startLba % 2048, 0, `partition ${p.number} aligned`);
	for (const [a, b] of layout.partitions.slice(0, -1).map((p, i) => [p, layout.partitions[i + 1]!] as const)) t.is(a.startLba + a.sizeLba, b.startLba);
	t.is(layout.partitions[2]!.sizeLba, layout.partitions[3]!.sizeLba);
	const last = layout.partitions[4]!;
	t.true(layout.totalBytes >= (last.startLba + last.sizeLba + 33) * 512);
	t.is(layout.partitions[0]!.type, '21686148-6449-6E6F-744E-656564454649');
	t.is(layout.partitions[1]!.type, 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B');
});

test('identifiers are fixed by the version, so builds are reproducible', async (t) => {
	const r = await recipe();
	t.is(sfdiskScript(r, diskLayout(r)), sfdiskScript(r, diskLayout(r)));
	t.regex(derivedUuid(r, 'system-a'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	t.not(derivedUuid(r, 'system-a'), derivedUuid({ ...r, version: '0.1.1' }, 'system-a'));
});

test('GRUB BIOS boot: MBR code copied, partition table kept, both sector pointers patched', (t) => {
	const mbr = Buffer.alloc(512, 0xaa);
	const bootImg = Buffer.alloc(512, 0x11);
	const core = Buffer.alloc(2048, 0x22);
	const patched = patchBiosBoot(mbr, bootImg, core, 2048);
	t.is(mbr[0], 0x11);
	t.is(mbr[439], 0x11);
	t.is(mbr[440], 0xaa, 'disk signature and partition table untouched');
	t.is(mbr.readBigUInt64LE(0x5c), 2048n);
	t.deepEqual([...mbr.subarray(0x66, 0x68)], [0x90, 0x90]);
	t.is(patched.readBigUInt64LE(500), 2049n);
	t.is(core.readBigUInt64LE(500), 0x2222222222222222n, 'the input core.img is not modified');
});
