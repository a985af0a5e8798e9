// The first boot of the built image under QEMU TCG on QEMU's user network, on a UEFI machine (OVMF) with an AHCI
// disk and an e1000 NIC, where nobody answers the console's prompt: DHCP gives 10.0.2.15, the banner shows its URL,
// the status report says the appliance is up, the page is served there and the console menu's status lists the
// appliance's units (issue 3). Then its browser interface, driven from the host through hostfwd to port
// 4444 in Debian's Chromium, as an Exchange admin would after the console shows the URL: log in as admin/admin, choose a
// password, set the CAS servers (two test web servers on the host: one at QEMU's host address 10.0.2.2, one at
// 10.0.2.100, a guest forward to the host; and 10.0.2.3, QEMU's DNS, where no web server answers), choose
// ssl-offload, validate, save from the pending-changes banner, and watch the dashboard show CAS 1 and CAS 2 UP in
// every HTTP service (and CAS 3 DOWN).
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { waitFor } from '../../services/apply/wait.js';
import { bootGuest, withBootSlot } from '../helpers/qemu.js';
import { launchChromium, newContext, screenshot } from '../integration/web-ui/browser.js';
import { checkApplianceUp } from './appliance-up.js';
import { casServer } from './stand-in-cas.js';
import { bootDeadlineMs, countdownEnd, countdownStart, curlUntilAnswered, imageFile, menuPrompt, stepDeadlineMs, webBanner, webInterfacePage } from './firstboot-support.js';

const hostName = 'mail.exlb.test';
// An unused address of QEMU's user network: the guest's connections to it reach CAS 2 on the host.
const cas2Address = '10.0.2.100';
// Random: a well-known phrase could be in the appliance's list of common passwords.
const newPassword = `exlb ui ${randomBytes(9).toString('base64url')}`;

test('UEFI + AHCI + e1000, first boot with nobody at the console: DHCP, the banner and the menu status; then the web interface: first login, password, CAS servers, ssl-offload, save; the dashboard shows both CAS UP', async (t) => {
	const cas1 = await casServer('cas1');
	t.teardown(() => cas1.server.close());
	const cas2 = await casServer('cas2');
	t.teardown(() => cas2.server.close());
	await withBootSlot(t, 30 * 60_000, async () => {
		const guest = await bootGuest({
			disk: imageFile(),
			name: 'web-ui-appliance',
			firmware: 'uefi',
			controller: 'ahci',
			nics: [{ model: 'e1000', netdev: {
				type: 'user',
				hostForwards: [{ guestPort: 4444 }],
				// The CAS servers share one HTTP port (cas1's): the forward takes it to cas2's on the host.
				guestForwards: [{ address: cas2Address, port: cas1.port, hostPort: cas2.port }],
			} }],
		});
		t.teardown(() => guest.stop());
		const origin = `https://127.0.0.1:${guest.hostPort(4444)}`;
		const browser = await launchChromium();
		t.teardown(() => browser.close());
		const page = await (await newContext(browser)).newPage();
		// Every step waits for the appliance: an apply under TCG takes tens of seconds.
		page.setDefaultTimeout(stepDeadlineMs);
		try {
			// Nobody answers the prompt: DHCP (QEMU's user network answers) after the 10-second countdown.
			await guest.waitFor(/Warning: No IP configuration found !\nWarning: DHCP configuration is available for test purpose only\.\nWarning: A static IP configuration is recommended\.\n/, { timeoutMs: bootDeadlineMs });
			await guest.waitFor(countdownStart, { timeoutMs: stepDeadlineMs });
			await guest.waitFor(countdownEnd, { timeoutMs: stepDeadlineMs });
			await guest.waitFor(/Waiting for DHCP \(up to 20 s\)\.\.\.\n/, { timeoutMs: stepDeadlineMs });
			await guest.waitFor(/DHCP lease: 10\.0\.2\.15\/24\n/, { timeoutMs: stepDeadlineMs });
			await guest.waitFor(webBanner('10.0.2.15'), { timeoutMs: stepDeadlineMs });
			await checkApplianceUp(t, guest, stepDeadlineMs);
			await guest.waitFor(menuPrompt, { timeoutMs: stepDeadlineMs });
			// What users hit at that URL (through hostfwd to the guest's 10.0.2.15:4444).
			t.regex((await curlUntilAnswered(`${origin}/`, stepDeadlineMs)).body, webInterfacePage);
			// The menu's status entry, against the real systemd and daemons of the appliance.
			guest.send('1\r');
			await guest.waitFor(/Services:\n[^]*  exlb-console +active \(running\)\n[^]*Versions:\n  haproxy +[0-9][^\n]*\n  stunnel +[0-9][^\n]*\n  keepalived +[0-9][^\n]*\n  node +20\./, { timeoutMs: stepDeadlineMs });
			await guest.waitFor(menuPrompt, { timeoutMs: stepDeadlineMs });

			await page.goto(`${origin}/`);
			await page.getByLabel('Password', { exact: true }).fill('admin');
			await page.getByRole('button', { name: 'Log in' }).click();
			await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
			await page.getByLabel('Current password').fill('admin');
			await page.getByLabel('New password', { exact: true }).fill(newPassword);
			await page.getByLabel('New password again').fill(newPassword);
			await page.getByRole('button', { name: 'Change the password' }).click();
			await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

			await page.getByRole('link', { name: 'Config', exact: true }).click();
			const version = page.getByRole('region', { name: 'Exchange version', exact: true });
			await version.getByLabel('Exchange version').selectOption('2013+');
			await version.getByRole('button', { name: 'Validate' }).click();
			await version.getByText('Applied to the running configuration').waitFor();
			const cas = page.getByRole('region', { name: 'CAS servers', exact: true });
			await cas.getByLabel('CAS1 address').fill('10.0.2.2');
			await cas.getByLabel('CAS2 address').fill(cas2Address);
			await cas.getByLabel('CAS3 address').fill('10.0.2.3');
			await cas.getByRole('button', { name: 'Validate' }).click();
			await cas.getByText('Applied to the running configuration').waitFor();
			const http = page.getByRole('region', { name: 'HTTP(s) service', exact: true });
			await http.getByLabel('HTTP(s) service').selectOption('ssl-offload');
			await http.getByLabel('Host name').fill(hostName);
			await http.getByLabel('CAS servers HTTP port').fill(String(cas1.port));
			await http.getByRole('button', { name: 'Validate' }).click();
			await http.getByText('Applied to the running configuration').waitFor();

			const banner = page.getByRole('region', { name: 'Unsaved changes' });
			await banner.getByRole('button', { name: 'Save' }).click();
			await banner.waitFor({ state: 'detached' });

			await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
			const matrix = page.getByRole('table', { name: 'Exchange servers and services' });
			const row = (name: string) => matrix.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}\\b`) }) });
			const states = async (name: string) => [...new Set(await row(name).locator('td.cell .state').allInnerTexts())];
			await waitFor('CAS 1 and CAS 2 UP in every service on the dashboard', stepDeadlineMs,
				async () => (await states('CAS 1')).join() === 'UP' && (await states('CAS 2')).join() === 'UP', 1000);
			await waitFor('CAS 3 (no web server) DOWN on the dashboard', stepDeadlineMs, async () => (await states('CAS 3')).join() === 'DOWN', 1000);
			for (const name of ['CAS 1', 'CAS 2']) t.regex(await row(name).locator('td.cell').first().innerText(), /L7OK 200/, name);
			await screenshot(page, 'appliance-dashboard');
		} catch (error) {
			await screenshot(page, 'appliance-failure').catch(() => '');
			t.log(guest.tail(80));
			throw error;
		}
	});
});
