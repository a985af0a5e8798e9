// The first-boot prompt in the built image under QEMU TCG, answered on the serial console (issue 3): a static
// address reached through hostfwd and kept across a reboot (on a SeaBIOS machine with a pvscsi disk and a vmxnet3
// NIC, VMware's, booting the disk taken out of the OVA), and the fallback address on a link with no DHCP server
// (reached from a network namespace). The unanswered prompt (DHCP on QEMU's user network) is checked by the first
// boot of web-ui-appliance.test.ts.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { artifacts, requireArtifact, version } from '../helpers/image-artifacts.js';
import { bootGuest, withBootSlot } from '../helpers/qemu.js';
import { checkApplianceUp } from './appliance-up.js';
import { bootDeadlineMs, countdownStart, curlUntilAnswered, imageFile, menuPrompt, stepDeadlineMs, webBanner, webInterfacePage } from './firstboot-support.js';

const testTimeoutMs = 20 * 60_000;

test('the OVA\'s disk on SeaBIOS + pvscsi + vmxnet3; s and 10.0.2.50/24 via 10.0.2.2: banner, TCP through hostfwd to that address; after a reboot no prompt, same address', async (t) => {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-ova-boot-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	await execa('tar', ['-xf', requireArtifact(artifacts.ova), '-C', dir, '--wildcards', '*.vmdk']);
	await withBootSlot(t, testTimeoutMs, async () => {
		const guest = await bootGuest({
			disk: path.join(dir, `exlb-${version}-disk1.vmdk`),
			name: 'firstboot-static-ova',
			firmware: 'bios',
			controller: 'pvscsi',
			nics: [{ model: 'vmxnet3', netdev: { type: 'user', hostForwards: [{ guestPort: 4444, guestAddress: '10.0.2.50' }] } }],
		});
		t.teardown(() => guest.stop());
		const answer = async (question: RegExp, text: string) => {
			await guest.waitFor(question, { timeoutMs: stepDeadlineMs });
			guest.send(text);
		};
		// The first prompt comes after the whole boot: the boot's deadline, not a step's.
		await guest.waitFor(countdownStart, { timeoutMs: bootDeadlineMs });
		guest.send('s');
		await answer(/Configure IP manually\nUse IP address \(192\.168\.0\.200\)\? $/, '10.0.2.50\r');
		await answer(/Use netmask \(255\.255\.255\.0\)\? $/, '\r');
		await answer(/Use default gateway \(none\)\? $/, '10.0.2.2\r');
		await answer(/Commit and save this configuration \(N\/y\)\? $/, 'y\r');
		await guest.waitFor(/Configuration saved: 10\.0\.2\.50\/255\.255\.255\.0 via 10\.0\.2\.2\./, { timeoutMs: stepDeadlineMs });
		await guest.waitFor(webBanner('10.0.2.50'), { timeoutMs: stepDeadlineMs });
		await guest.waitFor(menuPrompt, { timeoutMs: stepDeadlineMs });
		await checkApplianceUp(t, guest, stepDeadlineMs);
		// hostfwd targets 10.0.2.50: only an appliance listening at that address answers.
		t.regex((await curlUntilAnswered(`https://127.0.0.1:${guest.hostPort(4444)}/`, stepDeadlineMs)).body, webInterfacePage);

		// Reboot from the console menu: same disk, the saved configuration must come back without a prompt.
		const beforeReboot = guest.text().length;
		guest.send('5\r');
		await guest.waitFor(/Rebooting\.\.\./, { timeoutMs: stepDeadlineMs });
		await guest.waitFor(/Using the saved network configuration: 10\.0\.2\.50\/255\.255\.255\.0 via 10\.0\.2\.2\n/, { timeoutMs: bootDeadlineMs });
		await guest.waitFor(webBanner('10.0.2.50'), { timeoutMs: stepDeadlineMs });
		const secondBoot = guest.text().slice(beforeReboot);
		t.notRegex(secondBoot, /Retrieve IP using DHCP/, 'no prompt on the second boot');
		t.notRegex(secondBoot, /Warning: No IP configuration found/);
		t.regex((await curlUntilAnswered(`https://127.0.0.1:${guest.hostPort(4444)}/`, stepDeadlineMs)).body, webInterfacePage);
	});
});

test('a link with no DHCP server: 192.168.0.200/24 is configured and a network namespace on that segment reaches it', async (t) => {
	const suffix = randomBytes(3).toString('hex');
	const namespace = `exlb-fb-${suffix}`;
	// The guest's NIC is a tap device: created here, attached by QEMU, then moved into a namespace of its own.
	const tap = `exlbfb${suffix}`;
	await execa('ip', ['netns', 'add', namespace]);
	await execa('ip', ['tuntap', 'add', 'dev', tap, 'mode', 'tap']);
	t.teardown(async () => {
		await execa('ip', ['link', 'delete', tap], { reject: false });
		await execa('ip', ['netns', 'delete', namespace], { reject: false });
	});
	await withBootSlot(t, testTimeoutMs, async () => {
		const guest = await bootGuest({ disk: imageFile(), name: 'firstboot-fallback', nics: [{ model: 'virtio-net-pci', netdev: { type: 'tap', ifname: tap } }] });
		t.teardown(() => guest.stop());
		await guest.waitFor(countdownStart, { timeoutMs: bootDeadlineMs });
		// QEMU holds the tap open by now: move it out of the host's namespace before anything is sent on it.
		await execa('ip', ['link', 'set', tap, 'netns', namespace]);
		await execa('ip', ['-n', namespace, 'address', 'add', '192.168.0.1/24', 'dev', tap]);
		await execa('ip', ['-n', namespace, 'link', 'set', tap, 'up']);
		await execa('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);
		guest.send('d');
		await guest.waitFor(/Waiting for DHCP \(up to 20 s\)\.\.\.\n/, { timeoutMs: stepDeadlineMs });
		await guest.waitFor(/No DHCP server answered within 20 s: configured 192\.168\.0\.200\/24 instead\.\n/, { timeoutMs: stepDeadlineMs });
		await guest.waitFor(webBanner('192.168.0.200'), { timeoutMs: stepDeadlineMs });
		// From outside the guest: the namespace reaches the appliance's fallback address (ARP, then HTTPS on 4444).
		const page = (await curlUntilAnswered('https://192.168.0.200:4444/', stepDeadlineMs, { prefix: ['ip', 'netns', 'exec', namespace] })).body;
		t.regex(page, webInterfacePage);
		const neighbour = await execa('ip', ['-n', namespace, 'neigh', 'show', '192.168.0.200']);
		t.regex(neighbour.stdout, /192\.168\.0\.200 dev \S+ lladdr [0-9a-f:]{17}/);
	});
});
