// The dashboard in front of real daemons: the web server process, the engine's handlers in this process (its haproxy
// and stunnel, the image's, in the balancer's network namespace, test/integration/web/site-engine.ts) and two CAS
// serving HTTP and IMAP. In Debian's Chromium, as a person watching the dashboard: both CAS UP in every service;
// CAS 1 drained while two IMAP clients hold sessions on it, its open sessions counting down as they end, then back;
// the charts of the last hour drawn from the engine's traffic history.
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '../../../services/apply/wait.js';
import type { HaproxyStatus } from '../../../services/haproxy/status.js';
import { adminPassword, loggedInAdmin, type ApiClient } from '../../helpers/api-client.js';
import { backendsOf, httpRequest } from '../harness/clients.js';
import { holdTcpSession, type HeldSession } from '../harness/held-session.js';
import { SITE_NAME, startSite, type Site } from '../harness/site.js';
import { startSiteEngine } from '../web/site-engine.js';
import { startWebUnderTest, type WebUnderTest } from '../web/web-under-test.js';
import { launchChromium, newContext, screenshot, seriousViolations } from './browser.js';

let site: Site;
let web: WebUnderTest;
let admin: ApiClient;
let browser: Browser;
let page: Page;

test.before(async () => {
	site = await startSite({ cas: ['cas1', 'cas2'] });
	// The history sampled every second, so the charts have a few points within the test.
	[web, browser] = await Promise.all([startSiteEngine(site, 1000).then((engine) => startWebUnderTest(engine)), launchChromium()]);
	admin = await loggedInAdmin(web);
	const patched = await admin.request('PATCH', '/api/v1/config', {
		json: { exchangeVersion: '2013+', casServers: [site.lan.addr('cas1'), site.lan.addr('cas2')], http: { mode: 'ssl-offload', hostName: SITE_NAME }, imap: { mode: 'clear' } },
	});
	if (patched.status !== 200) throw new Error(`PATCH answered ${patched.status}: ${patched.text}`);
	page = await (await newContext(browser)).newPage();
	page.setDefaultTimeout(30_000);
	await page.goto(`${web.origin}/`);
	await page.getByLabel('Password', { exact: true }).fill(adminPassword);
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
});

test.after.always(async () => {
	await browser?.close();
	await admin?.close();
	await web?.stop();
	await site?.stop();
});

const matrix = () => page.getByRole('table', { name: 'Exchange servers and services' });
const rowOf = (name: string) => matrix().getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}\\b`) }) });

/** The state words of a row's service cells. */
async function cellStates(name: string): Promise<string[]> {
	return [...new Set(await rowOf(name).locator('td.cell .state').allInnerTexts())];
}

test.serial('the dashboard shows both CAS UP in every service, with their checks and sessions, polled live', async (t) => {
	t.timeout(120_000);
	await waitFor('both CAS UP in every service on the dashboard', 60_000, async () => (await cellStates('CAS 1')).join() === 'UP' && (await cellStates('CAS 2')).join() === 'UP', 250);
	const headers = await matrix().locator('thead th').allInnerTexts();
	for (const service of ['OWA', 'ECP', 'EWS', 'ActiveSync', 'OAB', 'Autodiscover', 'Outlook Anywhere', 'MAPI over HTTP', 'IMAP']) t.true(headers.includes(service), `${service} column: ${headers.join(', ')}`);
	t.regex(await rowOf('CAS 1').locator('td.cell').first().innerText(), /L[4-7]OK/, 'the last check result');
	t.deepEqual(await seriousViolations(page), []);
	await screenshot(page, 'en-dashboard-live');
});

test.serial('drain CAS 1 from the dashboard: its open IMAP sessions count down as they end, then Ready brings it back UP', async (t) => {
	t.timeout(180_000);
	const held: HeldSession[] = [];
	const others: HeldSession[] = [];
	try {
		for (let attempt = 0; held.length < 2 && attempt < 8; attempt++) {
			const session = await holdTcpSession(site.lan, site.lb, 143);
			(session.greeting.includes('cas1') ? held : others).push(session);
		}
		await Promise.all(others.map((session) => session.close()));
		t.is(held.length, 2, 'two IMAP sessions on cas1');
		const cas1 = rowOf('CAS 1');
		await cas1.getByRole('button', { name: 'Drain' }).click();
		await cas1.locator('.server-state').getByText('DRAIN', { exact: true }).waitFor();
		await cas1.getByText('2 sessions open').waitFor();
		await waitFor('CAS 1 DRAIN in every service', 30_000, async () => (await cellStates('CAS 1')).join() === 'DRAIN', 250);
		t.deepEqual([...new Set(await backendsOf(4, () => httpRequest(site.lan, `https://${site.lb}/owa/`)))], ['cas2'], 'new requests go to CAS 2');
		await screenshot(page, 'en-dashboard-draining');
		await held[0]!.close();
		await cas1.getByText('1 session open', { exact: true }).waitFor();
		await held[1]!.close();
		await cas1.getByText('0 sessions open').waitFor();
		await cas1.getByRole('button', { name: 'Ready' }).click();
		await cas1.locator('.server-state').getByText('READY', { exact: true }).waitFor();
		await waitFor('CAS 1 UP again in every service', 60_000, async () => (await cellStates('CAS 1')).join() === 'UP', 250);
	} finally {
		await Promise.all([...held, ...others].map((session) => session.close()));
	}
});

test.serial('the charts draw the last hour of sessions and requests per second, per service and per server', async (t) => {
	t.timeout(120_000);
	for (let round = 0; round < 3; round++) await backendsOf(6, () => httpRequest(site.lan, `https://${site.lb}/owa/`));
	const rate = page.getByRole('figure', { name: 'Requests per second per service' });
	await waitFor('OWA requests in the history', 30_000, async () => {
		const answer = await admin.request('GET', '/api/v1/status/history');
		const owa = (answer.body.services as { service: string; requestsPerSecond: (number | null)[] }[]).find((entry) => entry.service === 'owa');
		return (owa?.requestsPerSecond ?? []).some((value) => value !== null && value > 0);
	}, 500);
	await page.reload();
	await rate.locator('svg path').first().waitFor({ state: 'attached' });
	t.true((await rate.locator('.legend').innerText()).includes('OWA'));
	const perServer = page.getByRole('figure', { name: 'Current sessions per server' });
	const legend = await perServer.locator('.legend').innerText();
	t.true(legend.includes(site.lan.addr('cas1')) && legend.includes(site.lan.addr('cas2')), legend);
	const drawn = await rate.locator('svg path').evaluateAll((paths) => paths.map((path) => path.getAttribute('d') ?? ''));
	t.true(drawn.some((d) => (d.match(/L/g) ?? []).length >= 1), 'a line of several points');
	const status = (await admin.request('GET', '/api/v1/status')).body.haproxy as HaproxyStatus;
	t.true(status.running);
	await screenshot(page, 'en-dashboard-charts');
});
