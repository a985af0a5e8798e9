// The setup tab's lifecycle areas as a person uses them, in Debian's Chromium against the real web server and engine
// processes (loopback, a temp EXLB_ROOT, EXLB_CONTROLLER=none: every configuration is still checked by the image's
// haproxy and stunnel): a save with a comment listed in the history, two revisions compared, a revert that becomes
// a new revision, a backup downloaded with its password, restored with a wrong then the right password, and both
// factory-reset levels (configuration: back to the login and the forced password change; everything: the tab says
// the appliance is gone). axe-core checks the tab; its new areas are photographed in English and French.
import { readFile } from 'node:fs/promises';
import test, { type ExecutionContext } from 'ava';
import { FormData } from 'undici';
import { adminPassword, loggedInAdmin, patchConfig } from '../../helpers/api-client.js';
import { startWebUnderTest } from '../web/web-under-test.js';
import { assertAccessible, screenshot } from './browser.js';
import { browserForThisFile } from './browser-for-this-file.js';
import { selfSignedCertificate } from './test-certificates.js';

const backupPassword = 'a long backup password';

/** The downloaded backup, for the restore. */
let backupFile = '';

const ui = browserForThisFile(() => startWebUnderTest());

const region = (name: string) => ui.page.getByRole('region', { name, exact: true });
const focusedId = () => ui.page.evaluate(() => document.activeElement?.id ?? '');
const history = async () => (await ui.admin.request('GET', '/api/v1/config/history')).body.revisions as { id: number; user: string; source: string; comment: string; hash: string }[];
const running = async () => (await ui.admin.request('GET', '/api/v1/config')).body;

const accessible = (t: ExecutionContext, label: string) => assertAccessible(t, ui.page, label);

/** Opens the setup tab; `reload`: the page is loaded again (it reads the configuration, and its language, at load). */
async function visitSetup(reload = false): Promise<void> {
	await ui.page.goto(`${ui.web.origin}/#/setup`);
	if (reload) await ui.page.reload();
	await ui.page.locator('nav a[href="#/setup"][aria-current="page"]').waitFor();
	await ui.page.waitForFunction(() => document.querySelector('main .loading') === null);
}

/** The history table's row of revision `id` (`list`: the table's name, in the page's language). */
const revisionRow = (id: number, list = 'Revisions, newest first') => region(list).getByRole('row').filter({ has: ui.page.getByRole('rowheader', { name: new RegExp(`^${id}\\b`) }) });

test.serial('log in (the password already chosen); a save with a comment is listed in the history with its user, source and short hash', async (t) => {
	await ui.page.goto(`${ui.web.origin}/`);
	await ui.page.getByLabel('Password', { exact: true }).fill(adminPassword);
	await ui.page.getByRole('button', { name: 'Log in' }).click();
	await ui.page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

	await patchConfig(ui.admin, { casServers: ['10.0.0.1'] });
	await visitSetup();
	t.true(await region('Configuration history').getByText('Nothing is saved yet: no revision.').isVisible());
	const configuration = region('Configuration');
	await configuration.getByLabel('Comment (optional)').fill('one CAS');
	await configuration.getByRole('button', { name: 'Save' }).click();
	await configuration.getByRole('status').filter({ hasText: 'Saved as revision 1.' }).waitFor();
	t.is(await configuration.getByLabel('Comment (optional)').inputValue(), '', 'the comment field is emptied');

	const [saved] = await history();
	t.like(saved, { id: 1, user: 'admin', source: 'web', comment: 'one CAS' });
	const row = revisionRow(1);
	await row.waitFor();
	const cells = await row.getByRole('cell').allInnerTexts();
	t.is(cells[1], 'admin');
	t.is(cells[2], 'web interface');
	t.is(cells[3], 'one CAS');
	t.is(cells[4], saved!.hash.slice(0, 12), 'the short hash');
	t.regex(cells[0]!, /\d{4}/, 'the time, as a date');
	t.true(await row.getByText('SAVED', { exact: true }).isVisible(), 'the newest revision is the saved one, said in a word');
});

test.serial('a second save; the two revisions compared show the changed field, values as text', async (t) => {
	await patchConfig(ui.admin, { casServers: ['10.0.0.1', '10.0.0.2'] });
	const configuration = region('Configuration');
	await configuration.getByLabel('Comment (optional)').fill('<b>two</b> CAS');
	await configuration.getByRole('button', { name: 'Save' }).click();
	await configuration.getByRole('status').filter({ hasText: 'Saved as revision 2.' }).waitFor();
	await revisionRow(2).waitFor();
	t.is((await revisionRow(2).getByRole('cell').allInnerTexts())[3], '<b>two</b> CAS', 'a comment made of markup is shown as text');
	t.is(await ui.page.locator('main b').count(), 0);

	const historyArea = region('Configuration history');
	t.is(await historyArea.getByLabel('From revision', { exact: true }).inputValue(), '1', 'the revision before the newest, by default');
	t.is(await historyArea.getByLabel('To revision', { exact: true }).inputValue(), '2');
	await historyArea.getByRole('button', { name: 'Show the difference' }).click();
	await historyArea.getByRole('status').filter({ hasText: 'Revision 2 differs from revision 1 in 1 field.' }).waitFor();
	const table = historyArea.getByRole('region', { name: 'Revision 1 and revision 2' });
	t.deepEqual(await table.locator('tbody th').allInnerTexts(), ['casServers']);
	t.deepEqual(await table.locator('tbody td').allInnerTexts(), ['["10.0.0.1"]', '["10.0.0.1","10.0.0.2"]']);
	t.deepEqual(await table.locator('thead th').allInnerTexts(), ['Field', 'Revision 1', 'Revision 2']);
	await accessible(t, 'the setup tab with the history and a diff');
	await screenshot(ui.page, 'en-setup-history');
});

test.serial('revert to revision 1 with a comment: the network kept by default, applied and saved as revision 3', async (t) => {
	await revisionRow(1).getByRole('button', { name: 'Revert to revision 1' }).click();
	const dialog = ui.page.getByRole('dialog', { name: 'Revert to revision 1' });
	await dialog.waitFor();
	t.false(await dialog.getByLabel('Also restore the network settings and HA role').isChecked(), 'off by default');
	await dialog.getByLabel('Comment').fill('back to one');
	await accessible(t, 'the revert dialog');
	await screenshot(ui.page, 'en-setup-revert');
	await dialog.getByRole('button', { name: 'Revert' }).click();
	await region('Configuration history').getByRole('status').filter({ hasText: 'Revision 1 is in force, saved as revision 3.' }).waitFor({ timeout: 60_000 });
	await dialog.waitFor({ state: 'detached' });
	t.deepEqual((await running()).casServers, ['10.0.0.1']);
	t.like((await history())[0], { id: 3, source: 'web', comment: 'revert to revision 1: back to one' });
	await revisionRow(3).getByText('revert to revision 1: back to one').waitFor();
});

test.serial('a backup with certificate keys inside asks for a password (said at the field), then downloads the encrypted file', async (t) => {
	const certificate = await selfSignedCertificate('mail.corp.example');
	const form = new FormData();
	form.append('name', 'corp');
	form.append('file', new Blob([certificate.keyAndCertPem]), 'corp.pem');
	t.is((await ui.admin.request('POST', '/api/v1/certificates', { body: form })).status, 201);
	// A backup holds the certificates the saved configuration names (a certificate list entry made by the import).
	const configuration = region('Configuration');
	await configuration.getByLabel('Comment (optional)').fill('corp certificate');
	await configuration.getByRole('button', { name: 'Save' }).click();
	await configuration.getByRole('status').filter({ hasText: 'Saved as revision 4.' }).waitFor();
	t.deepEqual((await ui.admin.request('GET', '/api/v1/config/saved')).body.certificates.map((certificate: { name: string }) => certificate.name), ['corp']);

	const backup = region('Backup');
	t.regex(await backup.getByText(/^At least 8 characters\. Required when certificates are imported/).innerText(), /encrypted/, 'the rule is said before the click');
	await backup.getByRole('button', { name: 'Download backup' }).click();
	const error = backup.locator('#backup-password-error');
	await error.waitFor();
	t.regex(await error.innerText(), /required/);
	t.is(await focusedId(), 'backup-password', 'the focus moves to the password');
	t.is(await backup.getByLabel('Backup password').getAttribute('aria-invalid'), 'true');

	await backup.getByLabel('Backup password').fill(backupPassword);
	const [download] = await Promise.all([ui.page.waitForEvent('download'), backup.getByRole('button', { name: 'Download backup' }).click()]);
	t.regex(download.suggestedFilename(), /^exlb-exlb-\d{8}T\d{6}Z\.exlbbak$/, 'the name from Content-Disposition');
	backupFile = await download.path();
	const bytes = await readFile(backupFile);
	const headerLine = bytes.subarray(0, bytes.indexOf(0x0a)).toString();
	t.regex(headerLine, /^\{"format":"exlb-backup"/, 'the backup format\'s header line');
	t.like(JSON.parse(headerLine), { formatVersion: 1, manifest: { product: 'exlb', containsPrivateKeys: true }, encryption: { cipher: 'aes-256-gcm', kdf: 'scrypt' } });
	t.false(bytes.includes('PRIVATE KEY'), 'the key is encrypted');
	await backup.getByRole('status').filter({ hasText: `Downloaded ${download.suggestedFilename()}. It holds certificate keys and is encrypted.` }).waitFor();
	t.is(await backup.locator('#backup-password-error').count(), 0);
});

test.serial('restore: a wrong password is shown at the password field and changes nothing; the right one restores', async (t) => {
	await patchConfig(ui.admin, { casServers: ['10.0.0.9'] });
	const before = { running: (await ui.admin.request('GET', '/api/v1/config')).headers.get('etag'), history: await history() };
	const restore = region('Restore');
	t.false(await restore.getByLabel('Also restore this appliance\'s address, gateway and HA role').isChecked(), 'off by default');
	await restore.getByLabel('Backup file (.exlbbak)').setInputFiles(backupFile);
	await restore.getByLabel('Password of the backup').fill('not the password');
	await restore.getByRole('button', { name: 'Restore' }).click();
	const error = restore.locator('#restore-password-error');
	await error.waitFor({ timeout: 60_000 });
	t.regex(await error.innerText(), /password is wrong/);
	t.is(await focusedId(), 'restore-password', 'the focus moves to the password');
	t.deepEqual({ running: (await ui.admin.request('GET', '/api/v1/config')).headers.get('etag'), history: await history() }, before, 'nothing changed');

	await restore.getByLabel('Password of the backup').fill(backupPassword);
	await restore.getByRole('button', { name: 'Restore' }).click();
	const done = restore.getByRole('status').filter({ hasText: 'Restored: saved as revision 5' });
	await done.waitFor({ timeout: 90_000 });
	t.regex(await done.innerText(), /backup of exlb made on .*\d{4}.* by exlb /);
	t.is(await error.count(), 0);
	t.deepEqual((await running()).casServers, ['10.0.0.1']);
	t.like((await history())[0], { id: 5, source: 'restore' });
	await revisionRow(5).getByText('restore', { exact: true }).waitFor();
	t.is(await restore.getByLabel('Password of the backup').inputValue(), '', 'the password is not kept in the form');
	await accessible(t, 'the setup tab after a restore');
	await screenshot(ui.page, 'en-setup-lifecycle');
});

test.serial('in French: the new areas, their dates and the factory-reset choice; axe-core', async (t) => {
	await patchConfig(ui.admin, { system: { language: 'fr' } });
	await visitSetup(true);
	await ui.page.getByRole('heading', { name: 'Système', level: 1 }).waitFor();
	for (const title of ['Historique de la configuration', 'Sauvegarde', 'Restauration', 'Retour aux réglages d\'usine', 'Firmware']) await region(title).waitFor();
	const row = revisionRow(5, 'Révisions, la plus récente d\'abord');
	await row.waitFor();
	const restored = await row.getByRole('cell').allInnerTexts();
	t.is(restored[2], 'restauration');
	t.regex(restored[0]!, /janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\./, 'dates in French');
	t.true(await region('Retour aux réglages d\'usine').getByLabel('Réinitialiser la configuration, garder le réseau').isChecked());
	const historyArea = region('Historique de la configuration');
	await historyArea.getByLabel('De la révision', { exact: true }).selectOption('1');
	await historyArea.getByLabel('À la révision', { exact: true }).selectOption('2');
	await historyArea.getByRole('button', { name: 'Voir la différence' }).click();
	await historyArea.getByRole('status').filter({ hasText: 'La révision 2 diffère de la révision 1 sur 1 champ.' }).waitFor();
	await historyArea.getByRole('region', { name: 'Révision 1 et révision 2' }).waitFor();
	await accessible(t, 'the setup tab in French');
	await screenshot(ui.page, 'fr-setup-lifecycle');
	await patchConfig(ui.admin, { system: { language: 'en' } });
	await visitSetup(true);
	await ui.page.getByRole('heading', { name: 'Setup', level: 1 }).waitFor();
});

test.serial('factory reset "configuration": the password asked again (a wrong one said at its field), then the login page and the forced password change', async (t) => {
	await visitSetup();
	const reset = region('Factory reset');
	const keep = reset.getByLabel('Reset the configuration, keep the network');
	t.true(await keep.isChecked(), 'the default level');
	t.regex(await reset.locator('#reset-level-configuration-hint').innerText(), /address, gateway, host name and HA role stay/);
	t.is(await keep.getAttribute('aria-describedby'), 'reset-level-configuration-hint', 'the explanation is tied to its choice');
	t.regex(await reset.locator('#reset-level-everything-hint').innerText(), /first-boot prompt on its console/);
	await accessible(t, 'the setup tab before the reset');
	await reset.getByRole('button', { name: 'Factory reset…' }).click();
	const dialog = ui.page.getByRole('dialog', { name: 'Factory reset' });
	await dialog.getByLabel('Your password').fill('not my password');
	await dialog.getByRole('button', { name: 'Factory reset…' }).click();
	await dialog.locator('#reset-dialog-password-error').waitFor();
	t.is(await focusedId(), 'reset-dialog-password');
	t.deepEqual((await running()).casServers, ['10.0.0.1'], 'nothing was reset');
	await accessible(t, 'the factory-reset dialog');
	await screenshot(ui.page, 'en-setup-reset-dialog');

	const network = (await running()).network;
	await dialog.getByLabel('Your password').fill(adminPassword);
	await dialog.getByRole('button', { name: 'Factory reset…' }).click();
	await ui.page.getByRole('heading', { name: 'exlb: log in' }).waitFor({ timeout: 60_000 });
	await ui.page.getByLabel('Password', { exact: true }).fill('admin');
	await ui.page.getByRole('button', { name: 'Log in' }).click();
	await ui.page.getByRole('heading', { name: 'Choose your password' }).waitFor();
	t.is((await ui.admin.request('GET', '/api/v1/config')).status, 401, 'every session of the account ended');

	await ui.page.getByLabel('Current password').fill('admin');
	await ui.page.getByLabel('New password', { exact: true }).fill(adminPassword);
	await ui.page.getByLabel('New password again').fill(adminPassword);
	await ui.page.getByRole('button', { name: 'Change the password' }).click();
	await ui.page.getByRole('heading', { name: 'Setup', level: 1 }).waitFor(); // the tab the reset was asked from
	await ui.admin.close();
	ui.admin = await loggedInAdmin(ui.web, adminPassword);
	const after = await running();
	t.deepEqual(after.casServers, [], 'the factory settings');
	t.deepEqual(after.network, network, 'the network kept');
	t.deepEqual((await history()).map((revision) => revision.source), ['reset']);
});

test.serial('factory reset "everything": the appliance reboots to erase its data, and the tab says it is gone', async (t) => {
	await visitSetup();
	const reset = region('Factory reset');
	await reset.getByLabel('Erase everything').check();
	await reset.getByRole('button', { name: 'Factory reset…' }).click();
	const dialog = ui.page.getByRole('dialog', { name: 'Factory reset' });
	t.regex(await dialog.innerText(), /first-boot prompt on its console/, 'the dialog says what this level does');
	await dialog.getByLabel('Your password').fill(adminPassword);
	await dialog.getByRole('button', { name: 'Factory reset…' }).click();
	await reset.getByRole('status').filter({ hasText: 'The appliance is erasing its data and reboots' }).waitFor({ timeout: 60_000 });
	t.true(ui.web.engine.systemLog.some((line) => /reboot/.test(line)), 'the engine was asked to reboot');
	t.like(JSON.parse(await readFile(ui.web.engine.paths.eraseMarker, 'utf8')), { user: 'admin', via: 'web' });
	await screenshot(ui.page, 'en-setup-reset-everything');
});

test.serial('the pages logged no error besides the refusals asked for', (t) => {
	const unexpected = ui.consoleProblems.filter((line) => !/status of (401|403|422)/.test(line));
	t.deepEqual(unexpected, []);
});
