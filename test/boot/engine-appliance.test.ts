// The engine wired into the appliance (exlb-apply.service, Debian's haproxy/stunnel units pointed at /run/exlb), booted
// once under QEMU TCG: a saved ssl-offload configuration put on the data partition before the boot, then from the host
// through hostfwd: HTTPS answered by stunnel (the appliance's own self-signed certificate for http.hostName) and haproxy
// (503: no CAS server is configured), HTTP → 301 to https://<hostName>/, and the console menu's status.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { parseConfigText, serializeConfig } from '../../services/config/store.js';
import { bootGuest, withBootSlot } from '../helpers/qemu.js';
import { diskWithDataFiles } from '../helpers/data-partition.js';
import { bootDeadlineMs, imageFile, menuPrompt, stepDeadlineMs, webBanner } from './firstboot-support.js';

const hostName = 'mail.exlb.test';

/** curl until it gets an HTTP answer (haproxy starts after the network is online) or the deadline passes. */
async function httpUntilAnswered(url: string, deadlineMs: number): Promise<{ status: string; location: string; body: string }> {
	const deadline = Date.now() + deadlineMs;
	for (;;) {
		const result = await execa('curl', ['-sS', '-k', '--max-time', '10', '-w', '\n%{http_code} %{redirect_url}', url], { reject: false });
		const lines = result.stdout.split('\n');
		const [status = '000', location = ''] = (lines.pop() ?? '').split(' ');
		if (result.exitCode === 0 && status !== '000') return { status, location, body: lines.join('\n') };
		if (Date.now() > deadline) throw new Error(`${url} gave no HTTP answer within ${deadlineMs} ms: ${result.stderr}`);
		// Poll, bounded by the deadline (curl itself waits up to 10 s per attempt).
		await new Promise((resolve) => setTimeout(resolve, 2000));
	}
}

/** The certificate a TLS server presents, as `openssl x509` prints its subject, issuer, SAN and start date. */
async function presentedCertificate(port: number): Promise<string> {
	const handshake = await execa('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', hostName], { input: '', reject: false, timeout: 30_000 });
	const pem = /-----BEGIN CERTIFICATE-----[^]*?-----END CERTIFICATE-----/.exec(handshake.stdout)?.[0];
	if (pem === undefined) throw new Error(`no certificate from 127.0.0.1:${port}: ${handshake.stderr}`);
	return (await execa('openssl', ['x509', '-noout', '-subject', '-issuer', '-ext', 'subjectAltName', '-startdate', '-nameopt', 'RFC2253'], { input: pem })).stdout;
}

test('booted with a saved ssl-offload configuration, the appliance serves HTTPS through stunnel and haproxy and redirects HTTP', async (t) => {
	t.timeout(20 * 60_000);
	const work = await mkdtemp(path.join(tmpdir(), 'exlb-engine-boot-'));
	t.teardown(() => rm(work, { recursive: true, force: true }));
	// Saved DHCP: no first-boot prompt. parseConfigText fills the defaults and validates, as the appliance will.
	const { config } = parseConfigText(JSON.stringify({ network: { source: 'dhcp' }, http: { mode: 'ssl-offload', hostName } }), 'the test configuration');
	const disk = await diskWithDataFiles(imageFile(), { 'config/exlb.json': serializeConfig(config) }, work);
	await withBootSlot(async () => {
		const started = Date.now();
		const guest = await bootGuest({
			disk,
			name: 'engine-appliance',
			nics: [{ model: 'virtio-net-pci', netdev: { type: 'user', hostForwards: [{ guestPort: 443 }, { guestPort: 80 }] } }],
		});
		t.teardown(() => guest.stop());
		await guest.waitFor(/DHCP lease: 10\.0\.2\.15\/24\n/, { timeoutMs: bootDeadlineMs });
		await guest.waitFor(webBanner('10.0.2.15'), { timeoutMs: stepDeadlineMs });

		const https = await httpUntilAnswered(`https://127.0.0.1:${guest.hostPort(443)}/owa/`, stepDeadlineMs);
		t.log(`first HTTPS answer ${((Date.now() - started) / 1000).toFixed(1)} s after QEMU started (TCG, not asserted)`);
		t.is(https.status, '503', 'haproxy answers: no CAS server is configured');
		t.regex(https.body, /No server is available to handle this request/);
		const http = await httpUntilAnswered(`http://127.0.0.1:${guest.hostPort(80)}/owa/`, stepDeadlineMs);
		t.is(http.status, '301');
		t.is(http.location, `https://${hostName}/owa/`);

		const certificate = await presentedCertificate(guest.hostPort(443));
		t.regex(certificate, new RegExp(`^subject=CN=${hostName.replaceAll('.', '\\.')}$`, 'm'));
		t.regex(certificate, new RegExp(`^issuer=CN=${hostName.replaceAll('.', '\\.')}$`, 'm'), 'self-signed');
		t.regex(certificate, new RegExp(`DNS:${hostName.replaceAll('.', '\\.')}`));
		// Generated on this appliance at this boot, not shipped in the image (QEMU's clock is the host's).
		const notBefore = Date.parse(/^notBefore=(.*)$/m.exec(certificate)?.[1] ?? '');
		t.true(notBefore >= started - 120_000 && notBefore <= Date.now() + 120_000, `notBefore ${new Date(notBefore).toISOString()}`);

		// The console menu's status: the engine's units as the appliance runs them (keepalived off: HA disabled).
		await guest.waitFor(menuPrompt, { timeoutMs: stepDeadlineMs });
		guest.send('1\r');
		await guest.waitFor(/Services:\n  haproxy +active \(running\)\n  keepalived +inactive \(dead\)\n[^]*?  stunnel@exlb-https +active \(running\)\nVersions:/, { timeoutMs: stepDeadlineMs });
	});
});
