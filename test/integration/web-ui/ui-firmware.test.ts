// The setup tab's firmware area as a person uses it, in Debian's Chromium against the real web server and engine
// processes, the engine's slots as files (EXLB_FIRMWARE_PLATFORM): both slots shown; a bundle of another key refused
// at the file's field, the focus there and the boot state unchanged; a good bundle uploaded over a throttled link,
// its progress bar moving and its first step done while it is still sent, then every step done, the slots updated
// and "Reboot now"; the previous firmware booted again (the password asked again); an automatic rollback said.
// axe-core checks the area; it is photographed in English and French.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { adminPassword, patchConfig } from '../../helpers/api-client.js';
import { makeBundle, newKey, type TestKey } from '../../helpers/firmware-bundles.js';
import { makeTestPlatform, type TestPlatform } from '../../helpers/firmware-platform.js';
import { startEngineUnderTest } from '../web/engine-under-test.js';
import { startWebUnderTest } from '../web/web-under-test.js';
import { assertAccessible, screenshot } from './browser.js';
import { browserForThisFile } from './browser-for-this-file.js';

/** A bundle big enough to be seen on its way at the throttled upload rate below (8 s). */
const payloadBytes = 2 * 1024 * 1024;
const uploadBytesPerSecond = 256 * 1024;

let dir = '';
let key: TestKey;
let platform: TestPlatform;

const ui = browserForThisFile(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'exlb-fw-ui-'));
	key = newKey();
	platform = await makeTestPlatform(path.join(dir, 'platform'), [key], '1.0.0', payloadBytes + 1024 * 1024);
	return startWebUnderTest(await startEngineUnderTest(undefined, { env: { EXLB_FIRMWARE_PLATFORM: platform.variable } }));
}, async () => { if (dir !== '') await rm(dir, { recursive: true, force: true }); });

const area = () => ui.page.getByRole('region', { name: 'Firmware', exact: true });
const focusedId = () => ui.page.evaluate(() => document.activeElement?.id ?? '');
/** The slots table's rows (in either language) as their cells' texts. */
const slotRows = async () => {
	const rows = area().getByRole('region', { name: /^(System slots|Emplacements système)$/ }).locator('tbody tr');
	return Promise.all((await rows.all()).map(async (row) => (await row.locator('th, td').allInnerTexts()).map((text) => text.trim())));
};

const accessible = (t: ExecutionContext, label: string) => assertAccessible(t, ui.page, label);

async function visitSetup(reload = false): Promise<void> {
	await ui.page.goto(`${ui.web.origin}/#/setup`);
	if (reload) await ui.page.reload();
	await ui.page.locator('nav a[href="#/setup"][aria-current="page"]').waitFor();
	await area().getByRole('region', { name: /System slots|Emplacements système/ }).waitFor();
}

test.serial('log in; the firmware area shows both slots, and "boot the previous firmware" is off while slot B is empty', async (t) => {
	await ui.page.goto(`${ui.web.origin}/`);
	await ui.page.getByLabel('Password', { exact: true }).fill(adminPassword);
	await ui.page.getByRole('button', { name: 'Log in' }).click();
	await ui.page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
	await visitSetup();
	t.deepEqual(await slotRows(), [['Slot A', '1.0.0', 'GOOD', 'yes', 'yes'], ['Slot B', 'none', 'NOT BOOTABLE', 'no', 'no']]);
	t.true(await area().getByRole('button', { name: 'Boot the previous firmware' }).isDisabled());
	t.regex(await area().locator('#boot-previous-hint').innerText(), /slot B is not one/);
	await accessible(t, 'the firmware area');
});

test.serial('a bundle signed by another key: the refusal at the file\'s field, the focus there, the first step failed, nothing changed', async (t) => {
	const before = await platform.bootStateText();
	const foreign = await makeBundle(dir, newKey());
	await area().getByLabel('Update bundle (.exlbfw)').setInputFiles(foreign.file);
	await area().getByLabel('Your password').fill(adminPassword);
	await area().getByRole('button', { name: 'Install' }).click();
	const error = area().locator('#firmware-bundle-error');
	await error.waitFor();
	t.regex(await error.innerText(), /manifest\.sig .*is not a signature of the manifest by a trusted key/);
	t.is(await focusedId(), 'firmware-bundle');
	await area().getByRole('list', { name: 'Install steps' }).getByText('FAILED').waitFor();
	t.is(await platform.bootStateText(), before);
	await accessible(t, 'the firmware area with a refused bundle');
});

test.serial('a good bundle: the upload\'s progress, the steps as they are done, then the slots updated and "Reboot now"', async (t) => {
	const bundle = await makeBundle(dir, key, { version: '1.1.0', payloadBytes });
	const cdp = await ui.context.newCDPSession(ui.page);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: uploadBytesPerSecond });
	await area().getByLabel('Update bundle (.exlbfw)').setInputFiles(bundle.file);
	await area().getByLabel('Your password').fill(adminPassword);
	await area().getByRole('button', { name: 'Install' }).click();

	const progress = area().getByLabel('Upload', { exact: true });
	await progress.waitFor();
	const steps = area().getByRole('list', { name: 'Install steps' });
	// Verified while the rest of the bundle is still on its way: the appliance checks it as it arrives.
	await steps.getByRole('listitem').filter({ hasText: 'Verified: signature, appliance and version' }).getByText('DONE').waitFor();
	const percent = Number(await progress.getAttribute('value'));
	t.true(percent > 0 && percent < 100, `the upload is at ${percent} % when the bundle is verified`);
	// Checked before axe-core runs: on a loaded machine the rest of the upload can finish while it does.
	t.true(await steps.getByText('IN PROGRESS').isVisible(), 'still installing once verified');
	await screenshot(ui.page, 'en-setup-firmware-installing');
	await accessible(t, 'the firmware area during an install');
	await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

	const notice = area().getByRole('status').filter({ hasText: 'Version 1.1.0 is in slot B and boots next, with 3 tries to pass its health checks. Reboot to run it.' });
	await notice.waitFor({ timeout: 60_000 });
	t.deepEqual(await steps.getByRole('listitem').allInnerTexts(), [
		'DONE Verified: signature, appliance and version', 'DONE Written into the slot', 'DONE Read back and checked', 'DONE Marked to boot next',
	]);
	await area().getByText(/^Version 1\.1\.0 was installed into slot B by admin on /).waitFor();
	t.deepEqual(await slotRows(), [['Slot A', '1.0.0', 'GOOD', 'yes', 'no'], ['Slot B', '1.1.0', 'ON TRIAL (3 boots left to pass its health checks)', 'no', 'yes']]);
	t.true((await platform.slotBytes('B')).subarray(0, payloadBytes).equals(bundle.payload));
	t.is(await area().getByLabel('Update bundle (.exlbfw)').inputValue(), '', 'the form is emptied');
	await accessible(t, 'the firmware area after an install');
	await screenshot(ui.page, 'en-setup-firmware');
});

test.serial('boot the previous firmware: the password asked again (a wrong one said at its field), then slot A boots next; Reboot now reboots', async (t) => {
	await area().getByRole('button', { name: 'Boot the previous firmware' }).click();
	const dialog = ui.page.getByRole('dialog', { name: 'Boot the previous firmware' });
	await dialog.getByText('Slot A (version 1.0.0) boots next instead, from the next reboot on.').waitFor();
	await dialog.getByLabel('Your password').fill('not my password at all');
	await dialog.getByRole('button', { name: 'Boot it next' }).click();
	await dialog.locator('#boot-previous-dialog-password-error').waitFor();
	t.is(await focusedId(), 'boot-previous-dialog-password');
	await accessible(t, 'the boot-previous dialog');
	await dialog.getByLabel('Your password').fill(adminPassword);
	await dialog.getByRole('button', { name: 'Boot it next' }).click();
	await area().getByRole('status').filter({ hasText: 'Slot A (version 1.0.0) boots next. Reboot to run it.' }).waitFor();
	await ui.page.waitForFunction(() => document.querySelectorAll('#firmware-update tbody tr td:last-child')[0]?.textContent === 'yes');
	t.deepEqual((await slotRows()).map((row) => [row[0], row[4]]), [['Slot A', 'yes'], ['Slot B', 'no']]);
	await area().getByRole('button', { name: 'Reboot now' }).click();
	await area().getByRole('status').filter({ hasText: 'The appliance is rebooting.' }).waitFor();
	t.true(ui.web.engine.systemLog.some((line) => /reboot/.test(line)), 'the engine was asked to reboot');
});

test.serial('after an automatic rollback the area says from which firmware, in English and in French', async (t) => {
	await platform.writeBootState({ primary: 'A', slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'bad', version: '1.1.0' } }, rolledBackFrom: { slot: 'B', version: '1.1.0' } });
	await visitSetup(true);
	await area().getByText('The appliance came back by itself from slot B (version 1.1.0): that firmware did not pass its health checks within its tries.', { exact: false }).waitFor();
	await accessible(t, 'the firmware area after a rollback');
	await patchConfig(ui.admin, { system: { language: 'fr' } });
	await visitSetup(true);
	await ui.page.getByRole('region', { name: 'Firmware', exact: true }).getByText('RETOUR ARRIÈRE').waitFor();
	t.deepEqual((await slotRows())[1], ['Emplacement B', '1.1.0', 'NON DÉMARRABLE', 'non', 'non']);
	await accessible(t, 'the firmware area in French');
	await screenshot(ui.page, 'fr-setup-firmware');
	await patchConfig(ui.admin, { system: { language: 'en' } });
});

test.serial('the pages logged no error besides the refusals asked for', (t) => {
	const unexpected = ui.consoleProblems.filter((line) => !/status of (401|400|403)/.test(line));
	t.deepEqual(unexpected, []);
});
