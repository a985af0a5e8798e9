// The boot files the image pipeline writes (image/pipeline/appliance.ts), from the shipped recipe.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { fstab, grubConfig } from '../../image/pipeline/appliance.js';
import { partitionIds } from '../../image/pipeline/ids.js';
import { imageDir, parseRecipe } from '../../image/pipeline/recipe.js';

const recipe = parseRecipe(JSON.parse(await readFile(path.join(imageDir, 'recipe.json'), 'utf8')), '1.2.3');

test('GRUB boots system slot A by its derived PARTUUID, read-only squashfs, on both consoles', (t) => {
	const lines = grubConfig(recipe).split('\n');
	t.true(lines.includes(`set timeout=${recipe.bootMenuTimeoutSeconds}`));
	t.true(lines.includes('serial --unit=0 --speed=115200'));
	t.true(lines.includes('terminal_output console serial'));
	t.true(lines.includes(`menuentry "${recipe.product} 1.2.3" {`));
	t.true(lines.includes(`\tlinux /boot/vmlinuz root=PARTUUID=${partitionIds(recipe).systemA} rootfstype=squashfs ro ${recipe.kernelCmdline}`));
	t.true(lines.includes('\tinitrd /boot/initrd.img'));
});

test('fstab: /tmp in RAM, /data by label with nofail and a long device timeout, / not listed (the kernel mounts it)', (t) => {
	const entries = fstab(recipe).split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => line.split(/\s+/));
	t.deepEqual(entries.map(([, mountPoint]) => mountPoint), ['/tmp', '/data']);
	const [device, , type, options, , pass] = entries[1]!;
	t.is(device, `LABEL=${recipe.disk.dataLabel}`);
	t.is(type, 'ext4');
	t.deepEqual(options!.split(',').filter((option) => ['nofail', 'x-systemd.device-timeout=120s'].includes(option)), ['nofail', 'x-systemd.device-timeout=120s']);
	t.is(pass, '2', 'fsck after the root');
	t.is(entries[0]![2], 'tmpfs');
});
