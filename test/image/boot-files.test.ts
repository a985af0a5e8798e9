// The boot files the image pipeline writes (image/pipeline/grub-config.ts, appliance.ts), from the shipped recipe.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { fstab } from '../../image/pipeline/appliance.js';
import { bootSelectConfig, shippedBootEnvCopies, slotGrubConfig } from '../../image/pipeline/grub-config.js';
import { imageDir, parseRecipe } from '../../image/pipeline/recipe.js';
import { decodeBootEnv } from '../../services/firmware/boot-env.js';
import { shippedBootState } from '../../services/firmware/boot-state.js';
import { slotPartitionLabels } from '../../services/firmware/esp-layout.js';

const recipe = parseRecipe(JSON.parse(await readFile(path.join(imageDir, 'recipe.json'), 'utf8')), '1.2.3');

test('the slot boots its kernel from the PARTUUID the boot selection found, read-only squashfs, naming its slot', (t) => {
	const lines = slotGrubConfig(recipe).split('\n');
	t.true(lines.includes(`\tlinux /boot/vmlinuz root=PARTUUID=$exlb_partuuid rootfstype=squashfs ro exlb.slot=$exlb_slot ${recipe.kernelCmdline}`));
	t.true(lines.includes('\tinitrd /boot/initrd.img'));
	t.false(slotGrubConfig(recipe).includes('1.2.3'), 'no version in the slot configuration: the system-base stage does not depend on it');
});

test('the boot selection: both consoles, the two state copies, the countdown, the hand-over to the slot', (t) => {
	const config = bootSelectConfig(recipe);
	const lines = config.split('\n');
	t.true(lines.includes(`set timeout=${recipe.bootMenuTimeoutSeconds}`));
	t.true(lines.includes('serial --unit=0 --speed=115200'));
	t.true(lines.includes('terminal_output console serial'));
	t.true(lines.includes('exlb_copy_sequence "$prefix/bootenv0"'));
	t.true(lines.includes('exlb_copy_sequence "$prefix/bootenv1"'));
	t.true(lines.includes('\tif [ "$exlb_tries" = 1 ]; then set exlb_left=0; fi'));
	t.true(lines.includes('source "($root)/boot/grub/grub.cfg"'));
});

test('the shipped boot state: copy 0 says slot A of this version is good, copy 1 is zeroed', (t) => {
	const [copy0, copy1] = shippedBootEnvCopies(recipe);
	t.deepEqual(decodeBootEnv(copy0), { sequence: 1, snapshot: shippedBootState('1.2.3') });
	t.true(copy1.equals(Buffer.alloc(1024)));
});

test('fstab: /tmp in RAM, /data by label with nofail and a long device timeout, the ESP read-only, / not listed', (t) => {
	const entries = fstab(recipe).split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => line.split(/\s+/));
	t.deepEqual(entries.map(([, mountPoint]) => mountPoint), ['/tmp', '/data', '/efi']);
	const [device, , type, options, , pass] = entries[1]!;
	t.is(device, `LABEL=${recipe.disk.dataLabel}`);
	t.is(type, 'ext4');
	t.deepEqual(options!.split(',').filter((option) => ['nofail', 'x-systemd.device-timeout=120s'].includes(option)), ['nofail', 'x-systemd.device-timeout=120s']);
	t.is(pass, '2', 'fsck after the root');
	t.is(entries[0]![2], 'tmpfs');
	const [espDevice, , espType, espOptions] = entries[2]!;
	t.is(espDevice, 'LABEL=EXLB-ESP');
	t.is(espType, 'vfat');
	t.true(espOptions!.split(',').includes('ro'));
});

test('the installer finds the slots by the partition names the recipe gives them', (t) => {
	t.deepEqual(slotPartitionLabels, { A: recipe.disk.partitionNames.systemA, B: recipe.disk.partitionNames.systemB });
});
