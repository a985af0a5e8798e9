// The management plane of the built image under QEMU TCG, driven from the host through hostfwd to port 4444 as an
// admin would: DHCP at first boot, login admin/admin (everything else refused until the password is changed),
// password change, PATCH of two CAS servers (the host's test web server at QEMU's host address 10.0.2.2, and
// 10.0.2.3, QEMU's DNS, where no web server answers: its health check takes it out) with ssl-offload, save, then
// HTTPS through the appliance reaches the test server; reboot from the API: the saved configuration, the new
// password and the traffic path are all still there. Then a certificate imported and served, a backup downloaded,
// both factory-reset levels, and the backup restored on the erased (fresh) appliance: the same services with the
// same certificate. The machine is the smallest one we support (SeaBIOS, virtio-blk, virtio-net, 512 MiB), and its
// machine id, made at first boot, is kept across the reboot and made anew after "erase everything".
import { randomBytes, X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { FormData } from 'undici';
import test from 'ava';
import { waitFor } from '../../services/apply/wait.js';
import { ApiClient } from '../helpers/api-client.js';
import { bootGuest, withBootSlot } from '../helpers/qemu.js';
import { keyAndCertificate } from '../helpers/test-certificate.js';
import { casServer } from './stand-in-cas.js';
import { apiDeadlineMs, bootDeadlineMs, countdownEnd, countdownStart, curlUntilAnswered, imageFile, stepDeadlineMs, webBanner } from './firstboot-support.js';

const hostName = 'mail.exlb.test';
// Random: a well-known phrase could be in the appliance's list of common passwords.
const newPassword = `exlb-${randomBytes(12).toString('base64url')}`;
const backupPassword = `backup-${randomBytes(12).toString('base64url')}`;

test('API on :4444 in the booted image: first login, password change, PATCH CAS servers, save, traffic, reboot, still there; a backup, both factory-reset levels, the backup restored on the erased appliance with the same certificate', async (t) => {
	const cas1 = await casServer('cas1');
	t.teardown(() => cas1.server.close());
	await withBootSlot(t, 35 * 60_000, async () => {
		const guest = await bootGuest({
			disk: imageFile(),
			name: 'api-appliance',
			firmware: 'bios',
			controller: 'virtio-blk',
			memoryMiB: 512,
			nics: [{
				model: 'virtio-net-pci',
				netdev: {
					type: 'user',
					hostForwards: [{ guestPort: 4444 }, { guestPort: 443 }],
				},
			}],
		});
		t.teardown(() => guest.stop());
		const api = new ApiClient(`https://127.0.0.1:${guest.hostPort(4444)}`, null);
		t.teardown(() => api.close());
		try {
			await guest.waitFor(countdownEnd, { timeoutMs: bootDeadlineMs });
			await guest.waitFor(webBanner('10.0.2.15'), { timeoutMs: stepDeadlineMs });
			await curlUntilAnswered(`https://127.0.0.1:${guest.hostPort(4444)}/api/v1/openapi.json`, apiDeadlineMs);
			const machineId = (await guest.statusReport({ timeoutMs: stepDeadlineMs }))['machine-id'];
			t.regex(machineId ?? '', /^[0-9a-f]{32}$/);

			const first = await api.login('admin', 'admin');
			t.is(first.status, 200);
			t.true(first.body.passwordChangeRequired);
			t.is((await api.request('GET', '/api/v1/config')).status, 403, 'nothing but the password change until it is done');
			t.is((await api.request('PUT', '/api/v1/account/password', { json: { current: 'admin', new: newPassword } })).status, 204);
			t.is((await api.login('admin', newPassword)).status, 200);

			const patched = await api.request('PATCH', '/api/v1/config', {
				json: {
					exchangeVersion: '2013+', // no source affinity: one client reaches both CAS
					casServers: ['10.0.2.2', '10.0.2.3'],
					http: { mode: 'ssl-offload', hostName, casHttpPort: cas1.port },
				},
				headers: { 'content-type': 'application/merge-patch+json' },
			});
			t.is(patched.status, 200, patched.text);
			t.is((await api.request('POST', '/api/v1/config/save')).status, 200);
			t.regex(await throughAppliance(guest.hostPort(443)), /^cas1 \/owa\//);

			// Reboot from the API; the console shows the banner again once the saved configuration is up.
			const beforeReboot = guest.text().length;
			t.is((await api.request('POST', '/api/v1/system/reboot')).status, 202);
			await waitFor('the second boot\'s banner', bootDeadlineMs, () => webBanner('10.0.2.15').test(guest.text().slice(beforeReboot)), 1000);
			await curlUntilAnswered(`https://127.0.0.1:${guest.hostPort(4444)}/api/v1/openapi.json`, apiDeadlineMs);
			const again = await api.login('admin', newPassword);
			t.is(again.status, 200);
			t.false(again.body.passwordChangeRequired);
			const config = (await api.request('GET', '/api/v1/config')).body as { casServers: string[]; http: { mode: string } };
			t.deepEqual(config.casServers, ['10.0.2.2', '10.0.2.3']);
			t.is(config.http.mode, 'ssl-offload');
			t.regex(await throughAppliance(guest.hostPort(443)), /^cas1 \/owa\//, 'HTTPS through the appliance reaches the test server after the reboot');
			t.is((await guest.statusReport({ timeoutMs: stepDeadlineMs, boot: 1 }))['machine-id'], machineId, 'the machine id made on first boot is kept on /data');

			// A certificate of our own on the offloaded HTTPS service, then a backup of it all.
			const pem = await keyAndCertificate(hostName);
			const certificateForm = new FormData();
			certificateForm.append('name', 'corp');
			certificateForm.append('file', new Blob([pem]), 'corp.pem');
			const imported = await api.request('POST', '/api/v1/certificates', { body: certificateForm });
			t.is(imported.status, 201, imported.text);
			const withCertificate = await api.request('PATCH', '/api/v1/config', { json: { http: { certificate: 'corp' } }, headers: { 'content-type': 'application/merge-patch+json' } });
			t.is(withCertificate.status, 200, withCertificate.text);
			t.is((await api.request('POST', '/api/v1/config/save', { json: { comment: 'our certificate' } })).status, 200);
			const ours = fingerprintOf(pem);
			t.is(await waitFor('our certificate on 443', stepDeadlineMs, async () => ((await servedFingerprint(guest.hostPort(443))) === ours ? ours : undefined), 1000), ours);
			const backup = await api.request('POST', '/api/v1/backup', { json: { password: backupPassword }, binary: true });
			t.is(backup.status, 200, backup.text);

			// Factory reset, first level: the load-balancing configuration back to the factory's at once, the address
			// kept (the API still answers here), the admin password back to the first-login flow.
			const networkBefore = ((await api.request('GET', '/api/v1/config')).body as { network: unknown }).network;
			const reset = await api.request('POST', '/api/v1/system/factory-reset', { json: { password: newPassword } });
			t.is(reset.status, 202, reset.text);
			const fresh = await api.login('admin', 'admin');
			t.is(fresh.status, 200, 'the factory password again after "reset configuration"');
			t.true(fresh.body.passwordChangeRequired);
			t.is((await api.request('PUT', '/api/v1/account/password', { json: { current: 'admin', new: newPassword } })).status, 204);
			t.is((await api.login('admin', newPassword)).status, 200);
			const factory = (await api.request('GET', '/api/v1/config')).body as { casServers: string[]; network: unknown };
			t.notDeepEqual(factory.casServers, ['10.0.2.2', '10.0.2.3'], 'the CAS servers are the factory\'s again');
			t.deepEqual(factory.network, networkBefore, 'the network settings are kept');

			// Second level: the data partition is erased at the next boot, before any service starts: the console's
			// first-boot prompt again, then the factory password.
			const beforeErase = guest.text().length;
			t.is((await api.request('POST', '/api/v1/system/factory-reset', { json: { password: newPassword, level: 'everything' } })).status, 202);
			await waitFor('the first-boot prompt after "erase everything"', bootDeadlineMs, () => countdownStart.test(guest.text().slice(beforeErase)), 1000);
			await waitFor('the banner after the erase', bootDeadlineMs, () => webBanner('10.0.2.15').test(guest.text().slice(beforeErase)), 1000);
			await curlUntilAnswered(`https://127.0.0.1:${guest.hostPort(4444)}/api/v1/openapi.json`, apiDeadlineMs);
			const erasedMachineId = (await guest.statusReport({ timeoutMs: stepDeadlineMs, boot: 2 }))['machine-id'];
			t.regex(erasedMachineId ?? '', /^[0-9a-f]{32}$/);
			t.not(erasedMachineId, machineId, 'a new machine id with the new data partition');
			const erased = await api.login('admin', 'admin');
			t.is(erased.status, 200, 'the factory password after "erase everything"');
			t.true(erased.body.passwordChangeRequired);

			// The backup restored on this fresh appliance: the same CAS servers and service, with the same certificate.
			t.is((await api.request('PUT', '/api/v1/account/password', { json: { current: 'admin', new: newPassword } })).status, 204);
			t.is((await api.login('admin', newPassword)).status, 200);
			const restoreForm = new FormData();
			restoreForm.append('password', backupPassword);
			restoreForm.append('file', new Blob([new Uint8Array(backup.body as Buffer)]), 'appliance.exlbbak');
			const restored = await api.request('POST', '/api/v1/backup/restore', { body: restoreForm });
			t.is(restored.status, 200, restored.text);
			const afterRestore = (await api.request('GET', '/api/v1/config')).body as { casServers: string[]; http: { mode: string; certificate: string } };
			t.deepEqual(afterRestore.casServers, ['10.0.2.2', '10.0.2.3']);
			t.like(afterRestore.http, { mode: 'ssl-offload', certificate: 'corp' });
			t.regex(await throughAppliance(guest.hostPort(443)), /^cas1 \/owa\//, 'the restored appliance serves the same service');
			t.is(await servedFingerprint(guest.hostPort(443)), ours, 'with the same certificate');
		} catch (error) {
			t.log(guest.tail(80));
			throw error;
		}
	});
});

/** The SHA-256 fingerprint of the certificate in a key + certificate PEM. */
function fingerprintOf(pem: string): string {
	return new X509Certificate(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)![0]).fingerprint256;
}

/** The fingerprint of the certificate the appliance presents for the host name on its HTTPS port. */
function servedFingerprint(port: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect({ host: '127.0.0.1', port, servername: hostName, rejectUnauthorized: false }, () => {
			resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? 'none');
			socket.end();
		});
		socket.setTimeout(10_000, () => socket.destroy(new Error('no TLS handshake within 10 s')));
		socket.on('error', reject);
	});
}

/** An HTTPS request through the appliance (stunnel, haproxy) once a CAS is UP: the body the test server answered. */
async function throughAppliance(port: number): Promise<string> {
	return waitFor('an answer of the test server through the appliance', stepDeadlineMs, async () => {
		const answer = await curlUntilAnswered(`https://127.0.0.1:${port}/owa/`, stepDeadlineMs);
		return answer.status === '200' ? answer.body : undefined;
	}, 1000);
}
