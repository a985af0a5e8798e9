// The config tab's areas show, for each mode, the fields the original's guide shows (chapter 5: HTTP 5.4, IMAP 5.5,
// POP3 5.6, RPC 5.7, SMTP with its HUB servers 5.8), in Debian's Chromium against the real web server and an engine
// whose haproxy runs (the integration site's balancer namespace). The expected fields are written below in the
// guide's own words, from its pictures, and compared with the labels of the fields the page shows; where exlb differs
// from the guide on purpose, the difference is listed with its reason. Then, 768 px wide and in English: axe-core on
// the dashboard and the config tab, no page wider than the window, and the server matrix (wider than the window with
// ten service columns) scrolled inside its own region, reached and scrolled with the keyboard.
import test, { type ExecutionContext } from 'ava';
import type { Locator, Page } from 'playwright-core';
import { adminPassword, patchConfig } from '../../helpers/api-client.js';
import { SITE_NAME, startSite, type Site } from '../harness/site.js';
import { startSiteEngine } from '../web/site-engine.js';
import { startWebUnderTest } from '../web/web-under-test.js';
import { newContext, screenshot, seriousViolations } from './browser.js';
import { browserForThisFile } from './browser-for-this-file.js';

let site: Site | undefined;
const ui = browserForThisFile(async () => {
	site = await startSite({ cas: ['cas1'] });
	return startWebUnderTest(await startSiteEngine(site));
}, async () => site?.stop());

// ---- The guide's fields, in its words ---------------------------------------------------------------------------

const guideCertificate = ['Certificate .pfx or .pem', 'File password'];

/** Guide 5.5.1-5.5.5, 5.6.1-5.6.5, 5.8.1-5.8.5: the mode's select, then the options (and certificate) each picture shows. */
const guideMail: Readonly<Record<'imap' | 'pop3' | 'smtp', Readonly<Record<string, readonly string[]>>>> = {
	imap: {
		'disabled': ['IMAP(s) Service'],
		'clear': ['IMAP(s) Service', 'Virtual Service IMAP port', 'CAS Servers IMAP port', 'Timeout'],
		'ssl-forward': ['IMAP(s) Service', 'Virtual Service IMAPs port', 'CAS Servers IMAPs port', 'Timeout'],
		'ssl-offload': ['IMAP(s) Service', 'Virtual Service IMAPs port', 'CAS Servers IMAP port', 'Timeout', ...guideCertificate],
		'clear and ssl-forward': ['IMAP(s) Service', 'Virtual Service IMAP port', 'Virtual Service IMAPs port', 'CAS Servers IMAP port', 'CAS Servers IMAPs port', 'Timeout'],
		'clear and ssl-offload': ['IMAP(s) Service', 'Virtual Service IMAP port', 'Virtual Service IMAPs port', 'CAS Servers IMAP port', 'Timeout', ...guideCertificate],
	},
	pop3: {
		'disabled': ['POP3(s) Service'],
		'clear': ['POP3(s) Service', 'Virtual Service POP3 port', 'CAS Servers POP3 port', 'Timeout'],
		'ssl-forward': ['POP3(s) Service', 'Virtual Service POP3s port', 'CAS Servers POP3s port', 'Timeout'],
		'ssl-offload': ['POP3(s) Service', 'Virtual Service POP3s port', 'CAS Servers POP3 port', 'Timeout', ...guideCertificate],
		'clear and ssl-forward': ['POP3(s) Service', 'Virtual Service POP3 port', 'Virtual Service POP3s port', 'CAS Servers POP3 port', 'CAS Servers POP3s port', 'Timeout'],
		'clear and ssl-offload': ['POP3(s) Service', 'Virtual Service POP3 port', 'Virtual Service POP3s port', 'CAS Servers POP3 port', 'Timeout', ...guideCertificate],
	},
	smtp: {
		'disabled': ['SMTP(s) Service'],
		'clear': ['SMTP(s) Service', 'Virtual Service SMTP port', 'HUB Servers SMTP port', 'Timeout'],
		'ssl-forward': ['SMTP(s) Service', 'Virtual Service SMTPs port', 'HUB Servers SMTPs port', 'Timeout'],
		'ssl-offload': ['SMTP(s) Service', 'Virtual Service SMTPs port', 'HUB Servers SMTP port', 'Timeout', ...guideCertificate],
		'clear and ssl-forward': ['SMTP(s) Service', 'Virtual Service SMTP port', 'Virtual Service SMTPs port', 'HUB Servers SMTP port', 'HUB Servers SMTPs port', 'Timeout'],
		'clear and ssl-offload': ['SMTP(s) Service', 'Virtual Service SMTP port', 'Virtual Service SMTPs port', 'HUB Servers SMTP port', 'Timeout', ...guideCertificate],
	},
};

/** Guide 5.4.2.3: the HTTP and web services (Exchange 2010, the factory version: no MAPI over HTTP). */
const guideWebServices = ['Outlook Web Access', 'Exchange Control Panel', 'Offline Address Book', 'Auto discover', 'Exchange Web Services', 'Active Sync', 'Outlook Anywhere'];
const guideHttpPorts = ['Host Name', 'Virtual Service HTTPs port', 'Redirect HTTP port'];

/** Guide 5.4.1-5.4.3. */
const guideHttp: Readonly<Record<string, readonly string[]>> = {
	'disabled': ['HTTP(s) Service'],
	'ssl-offload': ['HTTP(s) Service', ...guideHttpPorts, 'CAS Servers HTTP port', 'Timeout', ...guideCertificate, ...guideWebServices],
	'ssl-forward': ['HTTP(s) Service', ...guideHttpPorts, 'CAS Servers HTTP port', 'CAS Servers HTTPs port', 'Timeout'],
};

/** Guide 5.7 and 5.7.2. */
const guideRpc: Readonly<Record<string, readonly string[]>> = {
	enabled: ['RPC Services', 'Access Point port', 'Address Book port', 'Timeout'],
	disabled: ['RPC Services'],
};

/** Guide 5.8.1.1: the HUB servers area of every SMTP mode. */
const guideHubs = ['HUB1 Address', 'HUB2 Address', 'HUB3 Address', 'HUB4 Address'];

// ---- Where exlb words or does it otherwise, on purpose --------------------------------------------------------

/** The guide's name → exlb's label for the same field. */
const exlbWording: Readonly<Record<string, string>> = {
	'Timeout': 'Timeout (seconds)', // the unit said in the label
	'Access Point port': 'Client Access port', // the guide's own definition of it (5.7.1.1)
	'Outlook Web Access': 'OWA', 'Exchange Control Panel': 'ECP', 'Offline Address Book': 'OAB', 'Auto discover': 'Autodiscover',
	'Exchange Web Services': 'EWS', 'Active Sync': 'ActiveSync', // Microsoft's short names, as on the dashboard
};
/** A TLS-offloading mode also offers the certificates already on the appliance (the certificates tab's). */
const exlbCertificateChoice = 'Certificate in use';
/** RPC: the endpoint mapper, an RPC service of guide 5.2, is balanced too, so its port is set here. */
const exlbRpcAlso = ['Endpoint mapper port'];
/**
 * HTTP ssl-forward: exlb checks each CAS over TLS on its HTTPS port, so the CAS HTTP port is not used (the schema's
 * "CAS HTTP port (ssl-offload)"), and the web services chosen are the ones whose health checks mark a CAS up.
 */
const exlbForwardHttp = { without: ['CAS Servers HTTP port'], also: guideWebServices };

const isOffload = (mode: string) => mode.endsWith('ssl-offload');
const inExlbWords = (names: readonly string[]) => names.map((name) => exlbWording[name] ?? name);
const comparable = (names: readonly string[]) => names.map((name) => name.toLowerCase()).sort();

// ---- The page ---------------------------------------------------------------------------------------------------

const region = (name: string, on: Page = ui.page) => on.getByRole('region', { name, exact: true });

/** The labels of the form fields (inputs and selects) an area shows now. */
function shownFields(area: Locator): Promise<string[]> {
	return area.evaluate((section) => [...section.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')]
		.filter((field) => field.checkVisibility())
		.map((field) => field.labels?.[0]?.textContent?.trim() ?? `(no label: #${field.id})`));
}

async function assertShown(t: ExecutionContext, area: Locator, expected: readonly string[], what: string): Promise<void> {
	t.deepEqual(comparable(await shownFields(area)), comparable(expected), what);
}

async function visitTab(tab: string, on: Page = ui.page): Promise<void> {
	await on.goto(`${ui.web.origin}/#/${tab}`);
	await on.locator(`nav a[href="#/${tab}"][aria-current="page"]`).waitFor();
	await on.waitForFunction(() => document.querySelector('main .loading') === null);
}

async function logIn(on: Page): Promise<void> {
	await on.goto(`${ui.web.origin}/`);
	await on.getByLabel('Password', { exact: true }).fill(adminPassword);
	await on.getByRole('button', { name: 'Log in' }).click();
	await on.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}

/** Back to the running configuration, when the area's draft differs from it. */
async function cancel(area: Locator): Promise<void> {
	const button = area.getByRole('button', { name: 'Cancel' });
	if (await button.isEnabled()) await button.click();
}

test.serial('log in; the config tab reads the factory configuration (Exchange 2010, the mail services disabled, RPC enabled)', async (t) => {
	await logIn(ui.page);
	await visitTab('config');
	t.is(await region('Exchange version').getByLabel('Exchange version').inputValue(), '2010');
	const modeOf = (title: string) => region(title).getByRole('combobox').first().inputValue();
	for (const title of ['IMAP service', 'POP3 service', 'SMTP service']) t.is(await modeOf(title), 'disabled', title);
	t.is(await modeOf('RPC services'), 'enabled');
	t.is(await region('HTTP(s) service').getByRole('combobox').first().inputValue(), 'ssl-forward');
});

for (const [protocol, title, select] of [['imap', 'IMAP service', 'IMAP(s) service'], ['pop3', 'POP3 service', 'POP3(s) service'], ['smtp', 'SMTP service', 'SMTP(s) service']] as const) {
	test.serial(`${title}: each of the six modes shows the fields of guide ${protocol === 'imap' ? '5.5' : protocol === 'pop3' ? '5.6' : '5.8'}`, async (t) => {
		const area = region(title);
		for (const [mode, fields] of Object.entries(guideMail[protocol])) {
			await area.getByLabel(select, { exact: true }).selectOption({ label: mode });
			const expected = [...inExlbWords(fields), ...(isOffload(mode) ? [exlbCertificateChoice] : [])];
			await assertShown(t, area, expected, `${protocol} ${mode}`);
			if (mode === 'clear and ssl-offload') await screenshot(ui.page, `en-config-${protocol}-clear-and-ssl-offload`);
		}
		await cancel(area);
		await assertShown(t, area, inExlbWords(guideMail[protocol].disabled!), `${protocol}: back to disabled`);
	});
}

test.serial('HTTP(s) service: disabled, ssl-offload and ssl-forward show the fields of guide 5.4', async (t) => {
	const area = region('HTTP(s) service');
	for (const [mode, fields] of Object.entries(guideHttp)) {
		await area.getByLabel('HTTP(s) service', { exact: true }).selectOption({ label: mode });
		let expected = [...fields];
		if (mode === 'ssl-offload') expected.push(exlbCertificateChoice);
		if (mode === 'ssl-forward') expected = [...expected.filter((name) => !exlbForwardHttp.without.includes(name)), ...exlbForwardHttp.also];
		await assertShown(t, area, inExlbWords(expected), `http ${mode}`);
		await screenshot(ui.page, `en-config-http-${mode}`);
	}
	await cancel(area);
});

test.serial('RPC services: enabled shows the ports of guide 5.7, disabled none (5.7.2)', async (t) => {
	const area = region('RPC services');
	for (const mode of ['disabled', 'enabled'] as const) {
		await area.getByLabel('RPC services', { exact: true }).selectOption({ label: mode });
		await assertShown(t, area, [...inExlbWords(guideRpc[mode]!), ...(mode === 'enabled' ? exlbRpcAlso : [])], `rpc ${mode}`);
	}
	await cancel(area);
});

test.serial('the HUB servers area: hidden while SMTP is disabled, shown once a mode is chosen and after it is validated, hidden again when disabled is validated', async (t) => {
	const smtp = region('SMTP service');
	const hubs = region('HUB servers');
	const mode = smtp.getByLabel('SMTP(s) service', { exact: true });
	t.is(await hubs.count(), 0, 'SMTP disabled: no HUB servers area');

	await mode.selectOption({ label: 'clear' });
	await hubs.waitFor();
	await assertShown(t, hubs, guideHubs, 'HUB1-4, as in guide 5.8.1.1');
	await cancel(smtp);
	await hubs.waitFor({ state: 'detached' });

	await mode.selectOption({ label: 'clear' });
	await smtp.getByRole('button', { name: 'Validate' }).click();
	await smtp.getByRole('status').filter({ hasText: 'Applied to the running configuration' }).waitFor();
	t.is((await ui.admin.request('GET', '/api/v1/config')).body.smtp.mode, 'clear');
	await hubs.waitFor();
	await visitTab('dashboard');
	await visitTab('config');
	await hubs.waitFor();
	t.true(await hubs.isVisible(), 'SMTP clear running: the HUB servers area is shown when the tab is read again');
	await screenshot(ui.page, 'en-config-smtp-hubs');

	await mode.selectOption({ label: 'disabled' });
	t.true(await hubs.isVisible(), 'still shown while clear runs and disabled is only chosen');
	await smtp.getByRole('button', { name: 'Validate' }).click();
	await hubs.waitFor({ state: 'detached' });
	t.is((await ui.admin.request('GET', '/api/v1/config')).body.smtp.mode, 'disabled');
});

test.serial('768 px wide, in English: axe-core on the dashboard and the config tab; the matrix scrolls in its own region, with the keyboard', async (t) => {
	t.timeout(120_000);
	// Ten service columns: the seven web services (ssl-offload), RPC, IMAP and POP3.
	await patchConfig(ui.admin, { casServers: [site!.lan.addr('cas1')], http: { mode: 'ssl-offload', hostName: SITE_NAME }, imap: { mode: 'clear' }, pop3: { mode: 'clear' } });
	const narrow = await newContext(ui.context.browser()!, 768, 1000);
	const page = await narrow.newPage();
	page.setDefaultTimeout(30_000);
	try {
		await logIn(page);
		// The scrolling region around the matrix table (its section has the same name).
		const matrix = page.locator('[role="region"][tabindex="0"]', { has: page.getByRole('table', { name: 'Exchange servers and services' }) });
		await page.waitForFunction(() => document.querySelectorAll('table.matrix thead th').length >= 12, undefined, { timeout: 60_000 });
		t.deepEqual(await seriousViolations(page), [], 'axe-core on the dashboard at 768 px');
		const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
		t.true(widths.page <= widths.window, `the dashboard is ${widths.page} px wide in a ${widths.window} px window`);
		const inside = await matrix.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth, tabIndex: element.getAttribute('tabindex') }));
		t.true(inside.scroll > inside.client, `the matrix (${inside.scroll} px) is wider than its region (${inside.client} px)`);
		t.is(inside.tabIndex, '0');
		await screenshot(page, 'en-768-dashboard-matrix');

		// Reached with Tab, as a keyboard user would (the region is in the tab order), then scrolled with the arrow key.
		const isMatrix = () => matrix.evaluate((element) => element === document.activeElement);
		for (let presses = 0; presses < 100 && !await isMatrix(); presses++) await page.keyboard.press('Tab');
		t.true(await isMatrix(), 'the matrix region takes the focus from the keyboard');
		await page.keyboard.press('ArrowRight');
		await page.waitForFunction((element) => element !== null && element.scrollLeft > 0, await matrix.elementHandle(), { timeout: 5000 });
		t.true(await matrix.evaluate((element) => element.scrollLeft > 0), 'ArrowRight scrolled the matrix');
		t.is(await page.evaluate(() => window.scrollX), 0, 'the page itself did not scroll sideways');

		await visitTab('config', page);
		t.deepEqual(await seriousViolations(page), [], 'axe-core on the config tab at 768 px');
		const configWidths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
		t.true(configWidths.page <= configWidths.window, `the config tab is ${configWidths.page} px wide in a ${configWidths.window} px window`);
		await screenshot(page, 'en-768-config');
	} finally {
		await narrow.close();
	}
});

test.serial('the pages logged no error besides the 401 of the first visit (no session yet)', (t) => {
	t.deepEqual(ui.consoleProblems.filter((line) => !/status of 401/.test(line)), []);
});
