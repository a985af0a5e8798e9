// The browser interface as a person uses it, in Debian's Chromium against the real web server and engine processes
// (loopback, a temp EXLB_ROOT, EXLB_CONTROLLER=none: every configuration is still checked by the image's haproxy and
// stunnel, no daemon runs): log in, choose a password, set two CAS servers, choose ssl-offload and import a .pfx with
// its password, validate, see the pending-changes banner and the diff, save; a bad value's error next to its field;
// the services tab restarting haproxy; a certificate subject made of markup shown as text; tokens and sessions;
// French. axe-core checks every page; every tab is photographed in both languages (out/screenshots/).
import { readFile } from 'node:fs/promises';
import test from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FormData } from 'undici';
import { waitFor } from '../../../services/apply/wait.js';
import { adminPassword, loggedInAdmin, type ApiClient } from '../../helpers/api-client.js';
import { startWebUnderTest, type WebUnderTest } from '../web/web-under-test.js';
import { launchChromium, newContext, screenshot, seriousViolations, watchConsole } from './browser.js';
import { pfxOf, selfSignedCertificate } from './test-certificates.js';

const tabs = ['dashboard', 'network', 'config', 'services', 'setup', 'certificates', 'access'] as const;
const markupSubject = '<img src=x onerror=alert(1)>';

let web: WebUnderTest;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let consoleProblems: string[];
const dialogs: string[] = [];

test.before(async () => {
	[web, browser] = await Promise.all([startWebUnderTest(), launchChromium()]);
	context = await newContext(browser);
	page = await context.newPage();
	page.setDefaultTimeout(30_000);
	consoleProblems = watchConsole(page);
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void dialog.dismiss();
	});
});

test.after.always(async () => {
	await browser?.close();
	await web?.stop();
});

const region = (name: string) => page.getByRole('region', { name, exact: true });
const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');

async function accessible(t: import('ava').ExecutionContext, label: string): Promise<void> {
	t.deepEqual(await seriousViolations(page), [], `axe-core on ${label}`);
}

/** Opens a tab as its link would, and waits until it has read what it shows. */
async function visitTab(tab: string, on: Page = page): Promise<void> {
	await on.goto(`${web.origin}/#/${tab}`);
	await on.locator(`nav a[href="#/${tab}"][aria-current="page"]`).waitFor();
	await on.waitForFunction(() => document.querySelector('main .loading') === null);
}

test.serial('log in with the factory password, then choose a new one: the rule stated first, show and paste allowed, a short one refused at its field', async (t) => {
	await page.goto(`${web.origin}/`);
	await page.getByRole('heading', { name: 'exlb: log in' }).waitFor();
	await accessible(t, 'the login page');
	await screenshot(page, 'en-login');
	// With the keyboard alone: the user name is filled in (admin), Tab to the password, Enter sends the form.
	await page.getByLabel('User name').focus();
	await page.keyboard.press('Tab');
	t.is(await focusedId(), 'password');
	await page.keyboard.type('wrong password');
	await page.keyboard.press('Enter');
	await page.getByRole('alert').filter({ hasText: 'Wrong user name or password.' }).waitFor();
	t.is(await focusedId(), 'password', 'the focus goes back to the password');

	await page.getByLabel('Password', { exact: true }).fill('admin');
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
	t.regex(await page.locator('.rule').innerText(), /at least 12 characters/, 'the rule is said before the password is typed');
	await accessible(t, 'the password change');

	const fresh = page.getByLabel('New password', { exact: true });
	const description = await fresh.evaluate((input) => (input.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
	t.regex(description, /at least 12 characters/, 'the rule is the new password field\'s description');
	await page.getByLabel('Current password').fill('admin');
	await fresh.fill('too short');
	await page.getByLabel('New password again').fill('too short');
	await page.getByRole('button', { name: 'Change the password' }).click();
	await page.locator('#first-new-error').waitFor();
	t.regex(await page.locator('#first-new-error').innerText(), /9 characters: at least 12/);
	t.is(await focusedId(), 'first-new', 'the focus moves to the field in error');
	t.is(await fresh.getAttribute('aria-invalid'), 'true');

	// Pasting is a person's way of typing a long password: nothing cancels it.
	const pasteCancelled = await page.evaluate(() => {
		const event = new ClipboardEvent('paste', { cancelable: true, bubbles: true, clipboardData: new DataTransfer() });
		document.getElementById('first-new')?.dispatchEvent(event);
		return event.defaultPrevented;
	});
	t.false(pasteCancelled);
	await fresh.fill('');
	await fresh.focus();
	await page.keyboard.insertText(adminPassword);
	await page.getByLabel('New password again').fill(adminPassword);
	t.is(await fresh.getAttribute('type'), 'password');
	await page.locator('.field').filter({ has: fresh }).getByRole('button', { name: 'Show' }).click();
	t.is(await fresh.getAttribute('type'), 'text', 'show password');
	t.is(await fresh.inputValue(), adminPassword);
	await screenshot(page, 'en-password');
	await page.getByRole('button', { name: 'Change the password' }).click();
	await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
	await region('High availability (VRRP)').getByText('DISABLED', { exact: true }).waitFor();
	await accessible(t, 'the dashboard');
});

test.serial('set two CAS servers, choose ssl-offload and import a .pfx with its password, validate; the banner, the diff, save', async (t) => {
	t.timeout(180_000);
	await visitTab('config');
	const cas = region('CAS servers');
	await cas.getByLabel('CAS1 address').fill('10.0.0.11');
	await cas.getByLabel('CAS2 address').fill('10.0.0.12');
	await cas.getByRole('button', { name: 'Validate' }).click();
	await cas.getByText('Applied to the running configuration').waitFor({ timeout: 60_000 });
	await page.getByRole('region', { name: 'Unsaved changes' }).waitFor();

	const http = region('HTTP(s) service');
	t.true(await http.getByLabel('CAS servers HTTPS port').isVisible(), 'ssl-forward shows the CAS HTTPS port');
	await http.getByLabel('HTTP(s) service').selectOption('ssl-offload');
	t.true(await http.getByLabel('CAS servers HTTP port').isVisible(), 'ssl-offload shows the CAS HTTP port');
	t.is(await http.getByLabel('CAS servers HTTPS port').count(), 0, 'and not the HTTPS one');
	const certificate = await selfSignedCertificate('mail.corp.example');
	await http.getByLabel('Certificate .pfx or .pem').setInputFiles(await pfxOf(certificate, 'Corp Mail 2026', 'pfx secret'));
	await http.getByLabel('File password').fill('wrong secret');
	await http.getByRole('button', { name: 'Validate' }).click();
	await http.locator('[id="http.certificatePassword-error"]').waitFor({ timeout: 60_000 });
	t.is(await focusedId(), 'http.certificatePassword', 'a wrong .pfx password is reported at the password field');
	await http.getByLabel('File password').fill('pfx secret');
	await http.getByRole('button', { name: 'Validate' }).click();
	await http.getByText('Applied to the running configuration').waitFor({ timeout: 90_000 });
	t.is(await http.getByLabel('Certificate in use').inputValue(), 'corp-mail-2026');
	await http.getByText('mail.corp.example').waitFor();
	await accessible(t, 'the config tab');

	const banner = page.getByRole('region', { name: 'Unsaved changes' });
	await banner.getByRole('button', { name: 'Review changes' }).click();
	const dialog = page.getByRole('dialog', { name: 'Running and saved configuration' });
	await dialog.waitFor();
	const fields = await dialog.locator('tbody th').allInnerTexts();
	for (const field of ['casServers', 'http.mode', 'http.certificate']) t.true(fields.includes(field), `the diff names ${field}: ${fields.join(', ')}`);
	await accessible(t, 'the diff dialog');
	await screenshot(page, 'en-diff');
	await dialog.getByRole('button', { name: 'Save' }).click();
	await banner.waitFor({ state: 'detached' });

	const admin = await loggedInAdmin(web, adminPassword);
	try {
		const saved = (await admin.request('GET', '/api/v1/config/saved')).body;
		t.deepEqual(saved.casServers, ['10.0.0.11', '10.0.0.12']);
		t.like(saved.http, { mode: 'ssl-offload', certificate: 'corp-mail-2026' });
	} finally {
		await admin.close();
	}
});

test.serial('a bad value is refused by the API and shown next to its field, which gets the focus; cancel restores the form', async (t) => {
	const http = region('HTTP(s) service');
	const port = http.getByLabel('CAS servers HTTP port');
	await port.fill('70000');
	await http.getByRole('button', { name: 'Validate' }).click();
	const error = http.locator('[id="http.casHttpPort-error"]');
	await error.waitFor();
	t.regex(await error.innerText(), /70000/);
	t.is(await focusedId(), 'http.casHttpPort');
	t.is(await port.getAttribute('aria-invalid'), 'true');
	t.is(await port.getAttribute('aria-describedby'), 'http.casHttpPort-error');
	await screenshot(page, 'en-config-error');
	await http.getByRole('button', { name: 'Cancel' }).click();
	t.is(await port.inputValue(), '80');
	t.is(await error.count(), 0);
	t.is(await page.getByRole('region', { name: 'Unsaved changes' }).count(), 0, 'nothing changed');
});

test.serial('the dashboard lists both CAS; drain and ready CAS 1', async (t) => {
	await visitTab('dashboard');
	const matrix = page.getByRole('table', { name: 'Exchange servers and services' });
	const cas1 = matrix.getByRole('row').filter({ hasText: 'CAS 1' });
	await cas1.waitFor();
	t.true(await matrix.getByRole('row').filter({ hasText: 'CAS 2' }).getByText('10.0.0.12').isVisible());
	await cas1.getByLabel('Drain, then maintenance after').selectOption({ label: '1 hr' });
	await cas1.getByRole('button', { name: 'Drain' }).click();
	await cas1.getByText('DRAIN', { exact: true }).waitFor();
	t.is(await cas1.getByRole('button', { name: 'Drain' }).getAttribute('aria-pressed'), 'true');
	await screenshot(page, 'en-dashboard-drain');
	await cas1.getByRole('button', { name: 'Ready' }).click();
	await cas1.getByText('READY', { exact: true }).waitFor();
});

test.serial('the services tab restarts haproxy (the engine, without systemd, logs what it was asked)', async (t) => {
	await visitTab('services');
	const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^haproxy/ }) });
	await row.getByRole('button', { name: 'Restart' }).click();
	await page.getByRole('status').filter({ hasText: 'haproxy: Restart done.' }).waitFor();
	const asked = await waitFor('the engine asked to restart haproxy', 10_000, () => web.engine.systemLog.find((line) => /restart haproxy/.test(line)), 50);
	t.regex(asked, /restart haproxy/);
	await accessible(t, 'the services tab');
});

test.serial(`a certificate whose subject is ${markupSubject} is shown as text, never run`, async (t) => {
	const admin: ApiClient = await loggedInAdmin(web, adminPassword);
	let shownSubject = '';
	try {
		const certificate = await selfSignedCertificate(markupSubject);
		const form = new FormData();
		form.append('name', 'markup');
		form.append('file', new Blob([certificate.keyAndCertPem]), 'markup.pem');
		const imported = await admin.request('POST', '/api/v1/certificates', { body: form });
		t.is(imported.status, 201, imported.text);
		// As the API reports it (OpenSSL's RFC 2253 form escapes < and > with a backslash); still markup to a browser.
		shownSubject = imported.body.certificate.commonName;
		t.true(shownSubject.includes('<img src=x onerror=alert(1)'), shownSubject);
	} finally {
		await admin.close();
	}
	await visitTab('certificates');
	const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^markup/ }) });
	await row.waitFor();
	t.is(await row.locator('td.subject').innerText(), shownSubject);
	t.is(await page.locator('main img').count(), 0, 'no element made from the subject');
	await visitTab('dashboard');
	await page.getByText(shownSubject, { exact: true }).waitFor();
	t.is(await page.locator('main img').count(), 0);
	t.deepEqual(dialogs, [], 'no script ran');
});

test.serial('certificates page: a CSR made on the appliance and downloaded; an unused certificate deleted', async (t) => {
	await visitTab('certificates');
	const request = region('Request a certificate');
	await request.getByLabel('Name', { exact: true }).fill('next-year');
	await request.getByLabel('Common name').fill('mail.corp.example');
	await request.getByLabel('Alternative names').fill('autodiscover.corp.example, owa.corp.example');
	await request.getByRole('button', { name: 'Make the request' }).click();
	const link = request.getByRole('link', { name: 'Download next-year.csr' });
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	t.is(download.suggestedFilename(), 'next-year.csr');
	const file = await download.path();
	t.regex(await readFile(file, 'utf8'), /^-----BEGIN CERTIFICATE REQUEST-----/);
	t.notRegex(await request.getByLabel('Certificate signing request').inputValue(), /PRIVATE KEY/);

	const list = region('Certificates on the appliance');
	const markup = list.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^markup/ }) });
	t.is(await list.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^corp-mail-2026/ }) }).getByRole('button').count(), 0, 'no delete button on a certificate in use');
	await markup.getByRole('button', { name: 'Delete the certificate markup' }).click();
	await markup.waitFor({ state: 'detached' });
	await list.getByRole('status').filter({ hasText: 'The certificate markup was deleted.' }).waitFor();
	await accessible(t, 'the certificates page');
});

test.serial('API tokens and sessions: a token is shown once and revoked; this session is listed', async (t) => {
	await visitTab('access');
	const tokens = region('API tokens');
	await tokens.getByLabel('Name of a new token').fill('backup script');
	await tokens.getByRole('button', { name: 'Create a token' }).click();
	const secret = await tokens.getByLabel('Token', { exact: true }).inputValue();
	t.regex(secret, /^exlb_/);
	const row = tokens.getByRole('row').filter({ hasText: 'backup script' });
	await row.waitFor();
	// Each Revoke button's name says what it revokes.
	await row.getByRole('button', { name: 'Revoke the token backup script', exact: true }).click();
	await row.waitFor({ state: 'detached' });
	t.true(await region('Sessions').getByText('(this session)').isVisible());
	t.is(await region('Sessions').getByRole('button', { name: /^Revoke this session \(from .+, logged in .+\)$/ }).count(), 1);
	await accessible(t, 'the tokens and sessions page');
});

test.serial('a network change that moves the appliance\'s address shows the new URL and the time to confirm it by', async (t) => {
	await visitTab('network');
	const lan = region('Local network');
	await lan.getByLabel('Addressing').selectOption('static');
	await lan.getByLabel('Address', { exact: true }).fill('192.168.0.201');
	await lan.getByLabel('Netmask').fill('255.255.255.0');
	await lan.getByLabel('Gateway').fill('192.168.0.1');
	await lan.getByRole('button', { name: 'Validate' }).click();
	const notice = lan.getByRole('status').filter({ hasText: 'Confirm it from the new address' });
	await notice.waitFor({ timeout: 60_000 });
	t.regex(await notice.innerText(), /before .*2\d{3}/, 'the deadline, as a date');
	t.is(await notice.getByRole('link').getAttribute('href'), 'https://192.168.0.201:4444/#/confirm-network', 'where to confirm it');
	await screenshot(page, 'en-network-moved');
	// Confirmed only from the new address: from this one, nothing is.
	await page.goto(`${web.origin}/#/confirm-network`);
	await page.getByRole('status').filter({ hasText: 'Nothing is waiting for a confirmation from this address' }).waitFor();
	t.is(await page.locator('nav a[aria-current="page"]').innerText(), 'Network');
});

test.serial('every tab in English, then French chosen in the setup tab: every string and date changes; axe-core on every page', async (t) => {
	t.timeout(180_000);
	for (const tab of tabs) {
		await visitTab(tab);
		await accessible(t, `the ${tab} tab in English`);
		await screenshot(page, `en-${tab}`);
	}
	await visitTab('setup');
	const system = region('System');
	await system.getByLabel('Language of the interface').selectOption('fr');
	await system.getByRole('button', { name: 'Validate' }).click();
	await page.getByRole('heading', { name: 'Système', level: 1 }).waitFor({ timeout: 60_000 });
	t.is(await page.evaluate(() => document.documentElement.lang), 'fr');
	const french = ['Tableau de bord', 'Réseau', 'Config', 'Services', 'Système', 'Certificats', 'Jetons d\'API et sessions'];
	t.deepEqual(await page.getByRole('navigation', { name: 'Onglets' }).getByRole('link').allInnerTexts(), french);
	for (const tab of tabs) {
		await visitTab(tab);
		await accessible(t, `the ${tab} tab in French`);
		await screenshot(page, `fr-${tab}`);
	}
	await visitTab('config');
	t.true(await region('Serveurs CAS').getByLabel('Adresse du CAS1').isVisible());
	await visitTab('setup');
	t.regex(await region('Informations').innerText(), /janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\./, 'dates in French');
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await page.getByRole('heading', { name: 'exlb : connexion' }).waitFor();
	await accessible(t, 'the login page in French');
	await screenshot(page, 'fr-login');
});

test.serial('768 px wide: no page is wider than the window, the tabs and the matrix stay usable', async (t) => {
	const narrow = await newContext(browser, 768, 1000);
	const narrowPage = await narrow.newPage();
	try {
		await narrowPage.goto(`${web.origin}/`);
		// A new browser profile: the login page follows the browser's language, the rest the appliance's (French now).
		await narrowPage.getByLabel('Password', { exact: true }).fill(adminPassword);
		await narrowPage.getByRole('button', { name: 'Log in' }).click();
		await narrowPage.getByRole('heading', { name: 'Tableau de bord', level: 1 }).waitFor();
		for (const tab of tabs) {
			await visitTab(tab, narrowPage);
			const widths = await narrowPage.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
			t.true(widths.page <= widths.window, `${tab}: ${widths.page} px wide in a ${widths.window} px window`);
			await screenshot(narrowPage, `fr-768-${tab}`);
		}
	} finally {
		await narrow.close();
	}
});

test.serial('the pages logged no error besides the 401 of the first visit (no session yet) and the refusals asked for', (t) => {
	const unexpected = consoleProblems.filter((line) => !/status of (401|403|422)/.test(line));
	t.deepEqual(unexpected, []);
});
