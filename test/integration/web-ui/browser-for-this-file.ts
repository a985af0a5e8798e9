// One browser page for a test file's serial tests: the web server it talks to (started by `start`) with the admin
// logged in through the API (the factory password changed), Debian's Chromium with a fresh profile, the page's
// console watched from the start; all of it stopped after the file's tests.
import test from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loggedInAdmin, type ApiClient } from '../../helpers/api-client.js';
import type { WebUnderTest } from '../web/web-under-test.js';
import { launchChromium, newContext, watchConsole } from './browser.js';

export interface BrowserForThisFile {
	readonly web: WebUnderTest;
	/** The API client logged in as the admin (replaceable: after a factory reset the test logs in again). */
	admin: ApiClient;
	readonly context: BrowserContext;
	readonly page: Page;
	/** Every error the page logged so far (watchConsole). */
	readonly consoleProblems: readonly string[];
}

export function browserForThisFile(start: () => Promise<WebUnderTest>, stopAlso: () => Promise<void> = async () => {}): BrowserForThisFile {
	let parts: { web: WebUnderTest; context: BrowserContext; page: Page; consoleProblems: string[] } | undefined;
	let browser: Browser | undefined;
	let web: WebUnderTest | undefined;
	let admin: ApiClient | undefined;
	test.before(async () => {
		[web, browser] = await Promise.all([start(), launchChromium()]);
		admin = await loggedInAdmin(web);
		const context = await newContext(browser);
		const page = await context.newPage();
		page.setDefaultTimeout(30_000);
		parts = { web, context, page, consoleProblems: watchConsole(page) };
	});
	test.after.always(async () => {
		await admin?.close();
		await browser?.close();
		await web?.stop();
		await stopAlso();
	});
	const get = () => {
		if (parts === undefined) throw new Error('the browser and the web server are started in test.before');
		return parts;
	};
	return {
		get web() { return get().web; },
		get admin() {
			get();
			return admin!;
		},
		set admin(client: ApiClient) {
			admin = client;
		},
		get context() { return get().context; },
		get page() { return get().page; },
		get consoleProblems() { return get().consoleProblems; },
	};
}
