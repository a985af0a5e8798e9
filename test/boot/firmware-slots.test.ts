// The rollback of the built image under QEMU, from the boot state the installer leaves (written here onto a copy of
// the disk: a test-only N+2 whose boot check fails in slot B, B on trial with 2 tries): it reboots for each try, runs
// out of them, and the appliance is back on N by itself and records the rollback. (A working N+1 installed through
// the API, marked good by its boot checks: firmware-update.test.ts.) (A zeroed boot state: test/boot/boot-selection.test.ts.)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { diskLayout, partition } from '../../image/pipeline/disk.js';
import { espBootDir, espPartition, slotPartitions } from '../../image/pipeline/grub-config.js';
import { loadRecipe } from '../../image/pipeline/recipe.js';
import { waitFor } from '../../services/apply/wait.js';
import { bootEnvCopyNames, decodeBootEnv, encodeBootEnv } from '../../services/firmware/boot-env.js';
import type { BootStateSnapshot } from '../../services/firmware/boot-state.js';
import { grubEnvBytes } from '../../services/firmware/grub-env.js';
import { artifacts, requireArtifact, version } from '../helpers/image-artifacts.js';
import { bootGuest, withBootSlot, type Guest } from '../helpers/qemu.js';
import { buildNextBundle, nextVersion } from '../helpers/update-bundles.js';

const recipe = await loadRecipe();
const layout = diskLayout(recipe);
const esp = partition(layout, espPartition);
const slotB = partition(layout, slotPartitions.B);
const mib = 1024 * 1024;
const bootMs = 300_000;

/** A raw copy of the built disk with `squashfs` in slot B and the two boot state copies replaced (undefined: zeroed). */
async function preparedDisk(dir: string, squashfs: string, copies: [Buffer | undefined, Buffer | undefined]): Promise<string> {
	const raw = path.join(dir, 'disk.raw');
	await execa('qemu-img', ['convert', '-O', 'raw', requireArtifact(artifacts.qcow2), raw]);
	await execa('dd', [`if=${squashfs}`, `of=${raw}`, 'bs=1M', `seek=${slotB.startLba * 512}`, 'oflag=seek_bytes', 'conv=notrunc', 'status=none']);
	for (const [index, copy] of copies.entries()) {
		const name = bootEnvCopyNames[index as 0 | 1];
		const file = path.join(dir, name);
		await writeFile(file, copy ?? Buffer.alloc(grubEnvBytes));
		await execa('mcopy', ['-o', '-i', `${raw}@@${esp.startLba * 512}`, file, `::/${espBootDir}/${name}`]);
	}
	return raw;
}

/** The boot state on a running guest's disk (read shared: the guest keeps writing), the newer valid copy. */
async function bootStateOf(dir: string, guest: Guest): Promise<BootStateSnapshot | undefined> {
	const image = path.join(dir, 'esp-now.img');
	await execa('qemu-img', ['dd', '-U', '-f', 'qcow2', '-O', 'raw', `bs=${mib}`, `skip=${(esp.startLba * 512) / mib}`, `count=${(esp.sizeLba * 512) / mib}`, `if=${guest.overlay}`, `of=${image}`]);
	const read = async (name: string) => Buffer.from((await execa('mcopy', ['-i', image, `::/${espBootDir}/${name}`, '-'], { encoding: 'buffer' })).stdout as unknown as Uint8Array);
	const decoded = [decodeBootEnv(await read(bootEnvCopyNames[0])), decodeBootEnv(await read(bootEnvCopyNames[1]))];
	await rm(image, { force: true });
	const [zero, one] = decoded;
	if (zero === undefined) return one?.snapshot;
	return one !== undefined && one.sequence > zero.sequence ? one.snapshot : zero.snapshot;
}

async function workDir(t: ExecutionContext): Promise<string> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-firmware-slots-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	return dir;
}

const shippedA = { status: 'good', version } as const;

test('an N+1 that fails its boot check: rebooted for each try, then back on N by itself, the rollback recorded', async (t) => {
	const broken = await buildNextBundle({ breakBootCheck: true, version: nextVersion(nextVersion(version)) });
	await withBootSlot(t, 4 * bootMs, async () => {
		const dir = await workDir(t);
		const trial: BootStateSnapshot = { primary: 'B', slots: { A: shippedA, B: { status: 'trying', triesLeft: 2, version: broken.version } } };
		const disk = await preparedDisk(dir, broken.squashfs, [encodeBootEnv(trial, 2), undefined]);
		const poweredOn = Date.now();
		const guest = await bootGuest({ name: 'firmware-broken', disk, nics: [{ model: 'virtio-net-pci', netdev: { type: 'user' } }] });
		try {
			await guest.waitFor(/exlb: trying slot B \(1 more tries after this boot\)/, { timeoutMs: 60_000 });
			await guest.waitFor(/exlb: trying slot B \(0 more tries after this boot\)/, { timeoutMs: bootMs });
			await guest.waitFor(/exlb: slot B cannot boot \(trying, tries 0\): booting slot A/, { timeoutMs: bootMs });
			const rolledBack = await waitFor('the rollback recorded on the ESP', bootMs, async () => {
				const state = await bootStateOf(dir, guest);
				return state?.rolledBackFrom !== undefined ? state : undefined;
			}, 5000);
			t.log(`power on → back on N with the rollback recorded (2 tries): ${((Date.now() - poweredOn) / 1000).toFixed(1)} s`);
			t.deepEqual(rolledBack, { primary: 'A', slots: { A: shippedA, B: { status: 'bad', version: broken.version } }, rolledBackFrom: { slot: 'B', version: broken.version } });
		} catch (error: unknown) {
			t.log(guest.tail(80));
			throw error;
		} finally {
			await guest.stop();
		}
	});
});
