// Boots the built image through its real boot loader under QEMU TCG on two more virtual machines than the other boot
// tests use (those run SeaBIOS + virtio-blk + virtio-net; api-appliance.test.ts in 512 MiB) and checks, from the
// console and the status report on ttyS1, that the appliance came up.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { artifacts, requireArtifact, version } from '../helpers/image-artifacts.js';
import { bootGuest, withBootSlot, type BootOptions } from '../helpers/qemu.js';

const bannerTimeoutMs = 240_000;
const statusTimeoutMs = 90_000;
// The console agent prints this once the network is up (after the first-boot countdown when unconfigured).
const webBanner = /https:\/\/[0-9.]+:4444\//;

/** Boots, waits for the console banner, checks the status report. */
async function bootAndCheck(t: ExecutionContext, options: BootOptions): Promise<void> {
	const guest = await bootGuest(options);
	try {
		await guest.waitFor(webBanner, { timeoutMs: bannerTimeoutMs });
		const status = await guest.statusReport({ timeoutMs: statusTimeoutMs });
		t.is(status.version, version);
		for (const name of ['haproxy', 'stunnel4', 'keepalived', 'nodejs']) {
			t.regex(status[`package.${name}`] ?? 'missing', /^[0-9][^ ]*$/, `${name} is installed`);
		}
		t.is(status['active.exlb-console'], 'active');
		t.regex(status.root ?? '', /^squashfs ro/, 'the system partition is mounted read-only');
		t.regex(status.data ?? '', / ext4$/, 'the data partition is mounted');
		t.regex(status['machine-id'] ?? '', /^[0-9a-f]{32}$/);
	} catch (error: unknown) {
		t.log(guest.tail(60));
		throw error;
	} finally {
		await guest.stop();
	}
}

test('OVMF (UEFI) + AHCI + e1000: boots to the appliance console', async (t) => {
	await withBootSlot(t, bannerTimeoutMs + statusTimeoutMs + 60_000, () => bootAndCheck(t, {
		name: 'uefi-ahci-e1000',
		disk: requireArtifact(artifacts.qcow2),
		firmware: 'uefi',
		controller: 'ahci',
		nics: [{ model: 'e1000', netdev: { type: 'user' } }],
	}));
});

test('SeaBIOS + pvscsi + vmxnet3, disk taken out of the OVA: boots to the appliance console', async (t) => {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-ova-boot-'));
	try {
		await execa('tar', ['-xf', requireArtifact(artifacts.ova), '-C', dir, '--wildcards', '*.vmdk']);
		await withBootSlot(t, bannerTimeoutMs + statusTimeoutMs + 60_000, () => bootAndCheck(t, {
			name: 'bios-pvscsi-vmxnet3-ova',
			disk: path.join(dir, `exlb-${version}-disk1.vmdk`),
			firmware: 'bios',
			controller: 'pvscsi',
			nics: [{ model: 'vmxnet3', netdev: { type: 'user' } }],
		}));
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});
