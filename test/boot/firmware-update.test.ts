// A firmware update of the built image through the API under QEMU TCG, one guest serving the cases in turn:
// 1. QEMU killed while the bundle is being written into slot B → it boots N again and slot B is marked bad;
// 2. N+1 installed through the API, QEMU killed right after the install answered (the boot state just written) →
//    it boots N+1 (never neither), which passes its boot checks and is marked good, with the saved configuration
//    still served;
// 3. "boot the previous firmware", reboot → N again.
// The durations (install: upload → ready to reboot; reboot → API answering on the new slot) are logged, not asserted.
import { randomBytes } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { waitFor } from '../../services/apply/wait.js';
import { firmwareView, installForm, loggedInGuest, slotOf, type FirmwareView } from '../helpers/firmware-api.js';
import { version } from '../helpers/image-artifacts.js';
import { bootGuest, withBootSlot, type BootOptions, type Guest } from '../helpers/qemu.js';
import { buildNextBundle } from '../helpers/update-bundles.js';
import { bootDeadlineMs, imageFile, stepDeadlineMs, webBanner } from './firstboot-support.js';

const newPassword = `exlb-${randomBytes(12).toString('base64url')}`;

function log(t: ExecutionContext, what: string, since: number): void {
	t.log(`${what}: ${((Date.now() - since) / 1000).toFixed(1)} s`);
}

test('update N → N+1 through the API: a write cut off by a power cut leaves N and slot B bad; an install cut off right after its answer boots N+1, marked good, the configuration kept; boot previous → N', async (t) => {
	const next = await buildNextBundle();
	await withBootSlot(t, 40 * 60_000, async () => {
		const options: BootOptions = { disk: imageFile(), name: 'firmware-update', nics: [{ model: 'virtio-net-pci', netdev: { type: 'user', hostForwards: [{ guestPort: 4444 }] } }] };
		let guest = await bootGuest(options);
		const overlay = guest.overlay;
		const restart = async (name: string) => {
			guest = await bootGuest({ ...options, name, overlay });
			return guest;
		};
		t.teardown(() => guest.stop());
		try {
			await guest.waitFor(webBanner('10.0.2.15'), { timeoutMs: bootDeadlineMs });
			let api = await loggedInGuest(guest, newPassword, true);
			const patched = await api.request('PATCH', '/api/v1/config', { json: { casServers: ['10.0.2.2'] }, headers: { 'content-type': 'application/merge-patch+json' } });
			t.is(patched.status, 200, patched.text);
			t.is((await api.request('POST', '/api/v1/config/save', { json: { comment: 'before the update' } })).status, 200);
			const shipped = await firmwareView(api);
			t.like(shipped, { booted: 'A', next: 'A' });
			t.like(slotOf(shipped, 'A'), { status: 'good', version });
			t.like(slotOf(shipped, 'B'), { status: 'bad' });

			// 1. A power cut while the payload is being written.
			const cut = api.request('POST', '/api/v1/firmware', { body: await installForm(next.file, newPassword) }).catch((error: unknown) => error);
			await waitFor('the install writing into slot B', stepDeadlineMs * 2, async () => {
				const install = (await firmwareView(api)).install;
				return install?.steps.some((step) => step.step === 'verified') && install.state === 'running';
			}, 200);
			await guest.stop({ keepDisk: true });
			await cut;
			await restart('firmware-update-after-cut');
			await guest.waitFor(webBanner('10.0.2.15'), { timeoutMs: bootDeadlineMs });
			api = await loggedInGuest(guest, newPassword, false);
			const afterCut = await firmwareView(api);
			t.like(afterCut, { booted: 'A', next: 'A' }, 'the power cut mid-write: N boots');
			t.like(slotOf(afterCut, 'B'), { status: 'bad' }, 'the half-written slot is marked bad');

			// 2. The whole install, then a power cut right after its answer (the boot state was just written).
			const started = Date.now();
			const installed = await api.request('POST', '/api/v1/firmware', { body: await installForm(next.file, newPassword) });
			t.is(installed.status, 200, installed.text);
			log(t, 'install (upload → ready to reboot)', started);
			t.like(slotOf(installed.body as FirmwareView, 'B'), { status: 'trying', triesLeft: 3, version: next.version, next: true });
			await guest.stop({ keepDisk: true });
			const rebooted = Date.now();
			await restart('firmware-update-n-plus-1');
			await guest.waitFor(/exlb: trying slot B/, { timeoutMs: stepDeadlineMs });
			api = await loggedInGuest(guest, newPassword, false);
			log(t, 'power on → API answering on the new slot', rebooted);
			const onNew = await waitFor('slot B marked good by its boot checks', bootDeadlineMs, async () => {
				const view = await firmwareView(api);
				return slotOf(view, 'B').status === 'good' ? view : undefined;
			}, 5000);
			t.like(onNew, { booted: 'B', next: 'B' });
			t.like(slotOf(onNew, 'B'), { version: next.version });
			t.like(slotOf(onNew, 'A'), { status: 'good', version });
			t.deepEqual((await api.request('GET', '/api/v1/config/saved')).body.casServers, ['10.0.2.2'], 'the saved configuration is still served');

			// 3. Back to the previous firmware.
			const previous = await api.request('POST', '/api/v1/firmware/boot-previous', { json: { password: newPassword } });
			t.is(previous.status, 200, previous.text);
			t.like(previous.body, { next: 'A' });
			const beforeReboot = guest.text().length;
			t.is((await api.request('POST', '/api/v1/system/reboot')).status, 202);
			await waitFor('the boot of slot A', bootDeadlineMs, () => /exlb: booting slot A/.test(guest.text().slice(beforeReboot)), 1000);
			await waitFor('the banner on slot A', bootDeadlineMs, () => webBanner('10.0.2.15').test(guest.text().slice(beforeReboot)), 1000);
			api = await loggedInGuest(guest, newPassword, false);
			const back = await firmwareView(api);
			t.like(back, { booted: 'A', next: 'A' });
			t.like(slotOf(back, 'A'), { version });
			t.like(slotOf(back, 'B'), { status: 'good', version: next.version });
		} catch (error) {
			t.log(guest.tail(80));
			throw error;
		}
	});
});
