// The web server under test for one test file: started before its tests (with `withAdmin`, the admin logged in with
// the factory password changed), stopped after. Apart from web-under-test.ts so scripts can start a web server
// without importing ava.
import test from 'ava';
import { loggedInAdmin, type ApiClient } from '../../helpers/api-client.js';
import { startWebUnderTest, type WebUnderTest } from './web-under-test.js';

export { adminPassword, sessionCookie, tlsHostName } from '../../helpers/api-client.js';

/** Starts the web server before this file's tests (and with `withAdmin`, logs in and changes the factory password), stops it after. */
export function webForThisFile(options: { readonly withAdmin: boolean }): { readonly web: WebUnderTest; readonly admin: ApiClient } {
	let web: WebUnderTest | undefined;
	let admin: ApiClient | undefined;
	test.before(async () => {
		web = await startWebUnderTest();
		if (options.withAdmin) admin = await loggedInAdmin(web);
	});
	test.after.always(() => web?.stop());
	return {
		get web() {
			if (web === undefined) throw new Error('the web server is started in test.before');
			return web;
		},
		get admin() {
			if (admin === undefined) throw new Error('webForThisFile({ withAdmin: true }) logs the admin in');
			return admin;
		},
	};
}
