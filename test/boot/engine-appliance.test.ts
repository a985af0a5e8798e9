// The engine wired into the appliance (exlb-apply.service, Debian's haproxy/stunnel units pointed at /run/exlb), booted
// once under QEMU TCG: a saved ssl-offload configuration put on the data partition before the boot, then from the host
// through hostfwd: HTTPS answered by stunnel (the appliance's own self-signed certificate for http.hostName) and haproxy
// (503: no CAS server is configured), HTTP → 301 to https://<hostName>/ at the VRRP address keepalived holds (HA master),
// and the console menu's status.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { parseConfigText, serializeConfig } from '../../services/config/store.js';
import { bootGuest, withBootSlot } from '../helpers/qemu.js';
import { diskWithDataFiles } from '../helpers/data-partition.js';
import { bootDeadlineMs, curlUntilAnswered, imageFile, menuPrompt, stepDeadlineMs, webBanner } from './firstboot-support.js';

const hostName = 'mail.exlb.test';
// QEMU user networking: the appliance at 10.0.2.15 (static, saved: no first-boot prompt), keepalived's VIP beside it.
const address = '10.0.2.15';
const vip = '10.0.2.100';

/** The certificate a TLS server presents, as `openssl x509` prints its subject, issuer, SAN and start date. */
async function presentedCertificate(port: number): Promise<string> {
	const handshake = await execa('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', hostName], { input: '', reject: false, timeout: 30_000 });
	const pem = /-----BEGIN CERTIFICATE-----[^]*?-----END CERTIFICATE-----/.exec(handshake.stdout)?.[0];
	if (pem === undefined) throw new Error(`no certificate from 127.0.0.1:${port}: ${handshake.stderr}`);
	return (await execa('openssl', ['x509', '-noout', '-subject', '-issuer', '-ext', 'subjectAltName', '-startdate', '-nameopt', 'RFC2253'], { input: pem })).stdout;
}

test('booted with a saved ssl-offload + HA master configuration, the appliance serves HTTPS through stunnel and haproxy and redirects HTTP at its VIP', async (t) => {
	const work = await mkdtemp(path.join(tmpdir(), 'exlb-engine-boot-'));
	t.teardown(() => rm(work, { recursive: true, force: true }));
	// parseConfigText fills the defaults and validates, as the appliance will.
	const saved = {
		network: { source: 'static', address, netmask: '255.255.255.0', gateway: '10.0.2.2' },
		ha: { role: 'master', vip, clusterId: 51 },
		http: { mode: 'ssl-offload', hostName },
	};
	const { config } = parseConfigText(JSON.stringify(saved), 'the test configuration');
	const disk = await diskWithDataFiles(imageFile(), { 'config/exlb.json': serializeConfig(config) }, work);
	await withBootSlot(t, 20 * 60_000, async () => {
		const started = Date.now();
		const guest = await bootGuest({
			disk,
			name: 'engine-appliance',
			// 443 to the appliance's own address, 80 to the VIP: only keepalived puts that address on the guest.
			nics: [{ model: 'virtio-net-pci', netdev: { type: 'user', hostForwards: [{ guestPort: 443, guestAddress: address }, { guestPort: 80, guestAddress: vip }] } }],
		});
		t.teardown(() => guest.stop());
		await guest.waitFor(/Using the saved network configuration: 10\.0\.2\.15\/255\.255\.255\.0 via 10\.0\.2\.2\n/, { timeoutMs: bootDeadlineMs });
		await guest.waitFor(webBanner(address), { timeoutMs: stepDeadlineMs });
		t.log(`console banner ${((Date.now() - started) / 1000).toFixed(1)} s after QEMU started (TCG, not asserted)`);

		const https = await curlUntilAnswered(`https://127.0.0.1:${guest.hostPort(443)}/owa/`, stepDeadlineMs);
		t.log(`first HTTPS answer ${((Date.now() - started) / 1000).toFixed(1)} s after QEMU started (TCG, not asserted)`);
		t.is(https.status, '503', 'haproxy answers: no CAS server is configured');
		t.regex(https.body, /No server is available to handle this request/);
		// Through the VIP: keepalived (HA master) holds it once haproxy runs (its track script reads /run/haproxy.pid).
		const http = await curlUntilAnswered(`http://127.0.0.1:${guest.hostPort(80)}/owa/`, stepDeadlineMs);
		t.is(http.status, '301');
		t.is(http.location, `https://${hostName}/owa/`);

		const certificate = await presentedCertificate(guest.hostPort(443));
		t.regex(certificate, new RegExp(`^subject=CN=${hostName.replaceAll('.', '\\.')}$`, 'm'));
		t.regex(certificate, new RegExp(`^issuer=CN=${hostName.replaceAll('.', '\\.')}$`, 'm'), 'self-signed');
		t.regex(certificate, new RegExp(`DNS:${hostName.replaceAll('.', '\\.')}`));
		// Generated on this appliance at this boot, not shipped in the image (QEMU's clock is the host's).
		const notBefore = Date.parse(/^notBefore=(.*)$/m.exec(certificate)?.[1] ?? '');
		t.true(notBefore >= started - 120_000 && notBefore <= Date.now() + 120_000, `notBefore ${new Date(notBefore).toISOString()}`);

		// The console menu's status: the engine's units as the appliance runs them.
		await guest.waitFor(menuPrompt, { timeoutMs: stepDeadlineMs });
		guest.send('1\r');
		await guest.waitFor(/Services:\n  haproxy +active \(running\)\n  keepalived +active \(running\)\n[^]*?  stunnel@exlb-https +active \(running\)\nVersions:/, { timeoutMs: stepDeadlineMs });
	});
});
