// The HA pair in the browser interface, as an admin pairs two appliances: two engines and web servers on loopback
// (test/integration/web/ha-nodes.ts), one Chromium page on each. On the node to be the secondary: a pairing code
// and its fingerprint; on the primary: a wrong code refused at its field, the right one paired, the sync in sync;
// the secondary's dashboard card; sync on save off; unpair from a dialog. axe-core checks the network tab and the
// dashboard; both are photographed (the pairing area in English and French).
import test, { type ExecutionContext } from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminPassword, patchConfig } from '../../helpers/api-client.js';
import { waitFor } from '../../../services/apply/wait.js';
import { startHaNodes, stopHaNode, type HaNode } from '../web/ha-nodes.js';
import { launchChromium, newContext, screenshot, seriousViolations, watchConsole } from './browser.js';

let primary: HaNode;
let secondary: HaNode;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pages: Record<'primary' | 'secondary', Page> = {} as Record<'primary' | 'secondary', Page>;
const consoleProblems: string[] = [];

test.before(async () => {
	[[primary, secondary], browser] = await Promise.all([startHaNodes(
		{ host: 'lb-a', peer: '127.0.0.4', address: '10.77.0.10', netmask: '255.255.255.0', role: 'master' },
		{ host: 'lb-b', peer: '127.0.0.5', address: '10.77.0.9', netmask: '255.255.255.0', role: 'backup' },
	), launchChromium()]);
	for (const [name, node] of [['primary', primary], ['secondary', secondary]] as const) {
		const context = await newContext(browser);
		contexts.push(context);
		const page = await context.newPage();
		page.setDefaultTimeout(30_000);
		consoleProblems.push(...watchConsole(page));
		await page.goto(`${node.web.origin}/`);
		await page.getByLabel('Password', { exact: true }).fill(adminPassword);
		await page.getByRole('button', { name: 'Log in' }).click();
		await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
		pages[name] = page;
	}
});

test.after.always(async () => {
	await browser?.close();
	await stopHaNode(primary);
	await stopHaNode(secondary);
});

const pairing = (page: Page, name = 'HA pair: pairing and configuration sync') => page.getByRole('region', { name, exact: true });
const status = async (node: HaNode) => (await node.api.request('GET', '/api/v1/ha')).body;

async function visit(page: Page, tab: 'network' | 'dashboard'): Promise<void> {
	await page.goto(`${page.url().split('#')[0]}#/${tab}`);
	await page.locator(`nav a[href="#/${tab}"][aria-current="page"]`).waitFor();
	await page.waitForFunction(() => document.querySelector('main .loading') === null);
}

async function accessible(t: ExecutionContext, page: Page, label: string): Promise<void> {
	t.deepEqual(await seriousViolations(page), [], `axe-core on ${label}`);
}

test.serial('the secondary offers a one-time code with its fingerprint; on the primary a wrong code is refused at its field, the right one pairs', async (t) => {
	const b = pages.secondary;
	await visit(b, 'network');
	const own = (await status(secondary)).identity.fingerprint;
	t.is(await pairing(b).locator('#ha-own-fingerprint').textContent(), own);
	await pairing(b).getByRole('button', { name: 'Show a pairing code' }).click();
	const code = (await pairing(b).locator('#ha-offer-code').textContent())!;
	t.regex(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
	t.is(await pairing(b).locator('#ha-offer-fingerprint').textContent(), own);
	await accessible(t, b, 'the network tab with a pairing code');
	await screenshot(b, 'network-pairing-offer-en');

	const a = pages.primary;
	await visit(a, 'network');
	const area = pairing(a);
	await area.getByLabel('The other node\'s address').fill(secondary.peer);
	await area.getByLabel('Peer port').fill(String(secondary.peerPort));
	await area.getByLabel('Pairing code').fill('0000-0000-0000');
	await area.getByRole('button', { name: 'Pair', exact: true }).click();
	await area.locator('#ha-pair-code-error').filter({ hasText: 'wrong pairing code (4 attempts left)' }).waitFor();
	t.is(await a.evaluate(() => document.activeElement?.id), 'ha-pair-code', 'the focus is on the field to correct');
	await area.getByLabel('Pairing code').fill(code.toLowerCase());
	await area.getByRole('button', { name: 'Pair', exact: true }).click();
	await area.getByRole('status').filter({ hasText: `Paired with lb-b. Check that its certificate is the one it showed: ${own}` }).waitFor();
	await area.getByText('IN SYNC', { exact: true }).waitFor();
	t.true(await area.getByText('the config primary (it sends its configuration)').isVisible());
	t.is((await status(secondary)).pairing.peer.fingerprint, (await status(primary)).identity.fingerprint);
	await accessible(t, a, 'the network tab, paired');
	await screenshot(a, 'network-pairing-paired-en');
});

test.serial('the secondary\'s dashboard shows the pair in sync; a save on the primary reaches it', async (t) => {
	await patchConfig(primary.api, { casServers: ['10.77.0.11'] });
	t.is((await primary.api.request('POST', '/api/v1/config/save', { json: {} })).status, 200);
	await waitFor('the save applied on the secondary', 30_000, async () => (await secondary.api.request('GET', '/api/v1/config/saved')).body.casServers?.[0] === '10.77.0.11', 200);
	await waitFor('the secondary in sync with it', 30_000, async () => (await status(secondary)).sync.state === 'in-sync', 200);
	const b = pages.secondary;
	await visit(b, 'dashboard');
	const card = b.getByRole('region', { name: 'HA pair', exact: true });
	await card.getByText('IN SYNC', { exact: true }).waitFor();
	t.true(await card.getByText('lb-a (127.0.0.4)').isVisible());
	await accessible(t, b, 'the dashboard with the pair');
	await screenshot(b, 'dashboard-pair-en');
});

test.serial('sync on save off from its checkbox, then unpair from the dialog: both nodes forget the pairing', async (t) => {
	const a = pages.primary;
	await visit(a, 'network');
	const area = pairing(a);
	await area.getByLabel('Sync on save').uncheck();
	await area.getByRole('status').filter({ hasText: 'Saves are no longer sent: use "Sync now".' }).waitFor();
	t.false((await status(primary)).pairing.syncOnSave);
	await area.getByRole('button', { name: 'Unpair', exact: true }).click();
	const dialog = a.getByRole('dialog', { name: 'Unpair the nodes' });
	await dialog.getByRole('button', { name: 'Unpair', exact: true }).click();
	await area.getByRole('status').filter({ hasText: 'Unpaired on both nodes.' }).waitFor();
	t.is((await status(primary)).pairing, null);
	t.is((await status(secondary)).pairing, null);
	await area.getByRole('button', { name: 'Show a pairing code' }).waitFor();
	await patchConfig(primary.api, { system: { language: 'fr' } });
	await a.reload();
	await pairing(a, 'Paire HA : appairage et synchronisation de la configuration').getByRole('button', { name: 'Afficher un code d\'appairage' }).waitFor();
	await screenshot(a, 'network-pairing-fr');
	t.deepEqual(consoleProblems, []);
});
