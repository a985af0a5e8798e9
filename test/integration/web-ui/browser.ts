// Debian's Chromium driven by playwright-core (npx playwright install cannot download a browser here): one browser
// per test file, headless, pointed at the web server under test on loopback (its self-signed certificate accepted
// as a person would accept it), plus what every page is checked with: axe-core (no serious or critical violation)
// and a screenshot into out/screenshots/ for review.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { ExecutionContext } from 'ava';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const screenshotDir = path.join(repoRoot, 'out/screenshots');

/** The flags build-environment.md lists for this machine's Chromium. */
export const chromiumFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: process.env.EXLB_CHROMIUM ?? '/usr/bin/chromium', args: chromiumFlags, headless: true });
}

/** A fresh browser profile (no cookie, no stored language) at 1280×800, or `width` wide. */
export function newContext(browser: Browser, width = 1280, height = 800): Promise<BrowserContext> {
	return browser.newContext({ ignoreHTTPSErrors: true, viewport: { width, height }, locale: 'en-GB', timezoneId: 'UTC' });
}

export interface AxeFinding {
	readonly id: string;
	readonly impact: string;
	readonly help: string;
	readonly targets: string[];
}

/** Fails the test, naming `label`, when axe-core finds a serious or critical violation on the page as it is now. */
export async function assertAccessible(t: ExecutionContext, page: Page, label: string): Promise<void> {
	t.deepEqual(await seriousViolations(page), [], `axe-core on ${label}`);
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
	const results = await new AxeBuilder({ page }).analyze();
	return results.violations
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map((violation) => ({ id: violation.id, impact: violation.impact ?? '', help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }));
}

export async function screenshot(page: Page, name: string): Promise<string> {
	await mkdir(screenshotDir, { recursive: true });
	const file = path.join(screenshotDir, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

/** Every message the page logged as an error, and every request the CSP refused (collected from the start). */
export function watchConsole(page: Page): string[] {
	const problems: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') problems.push(message.text());
	});
	page.on('pageerror', (error) => problems.push(error.message));
	return problems;
}
