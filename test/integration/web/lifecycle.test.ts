// The lifecycle endpoints against the real web server and engine processes over HTTPS (the image's daemons check
// every configuration): saves with comments and the history (list, diff, revert), a backup downloaded and restored
// (a wrong password, a configuration the daemons refuse: 422 and nothing changed), then both factory-reset levels
// behind the password.
import { access, readFile } from 'node:fs/promises';
import test from 'ava';
import { FormData } from 'undici';
import { importPem } from '../../../services/certs/import.js';
import { encodeBackup } from '../../../services/backup/format.js';
import { defaultConfig } from '../../../services/config/schema.js';
import { certificateFile, applianceRenderEnv } from '../../../services/render/env.js';
import { loggedInAdmin, patchConfig } from '../../helpers/api-client.js';
import { keyAndCertificate } from '../../helpers/test-certificate.js';
import { adminPassword, webForThisFile } from './web-for-this-file.js';

const files = webForThisFile({ withAdmin: true });
const backupPassword = 'a long backup password';

const exists = (file: string) => access(file).then(() => true, () => false);
const paths = (body: { error: { errors?: { path: string }[] } }) => (body.error.errors ?? []).map((error) => error.path);

function restoreForm(file: Uint8Array, fields: Record<string, string>): FormData {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) form.append(key, value);
	form.append('file', new Blob([new Uint8Array(file)]), 'lb.exlbbak'); // a copy on a plain ArrayBuffer, as Blob's type asks
	return form;
}

/** What a refused restore must leave alone. */
async function state() {
	const running = await files.admin.request('GET', '/api/v1/config');
	return {
		running: running.headers.get('etag'),
		saved: (await files.admin.request('GET', '/api/v1/config/saved')).headers.get('etag'),
		history: (await files.admin.request('GET', '/api/v1/config/history')).body,
		certificates: (await files.admin.request('GET', '/api/v1/certificates')).body,
	};
}

test.serial('saves keep revisions with their comment; the history lists them, diffs two and reverts one (a new revision)', async (t) => {
	await patchConfig(files.admin, { casServers: ['10.0.0.1'] });
	const first = await files.admin.request('POST', '/api/v1/config/save', { json: { comment: 'one CAS' } });
	t.is(first.status, 200, first.text);
	t.is(first.body.revision, 1);
	await patchConfig(files.admin, { casServers: ['10.0.0.1', '10.0.0.2'] });
	t.is((await files.admin.request('POST', '/api/v1/config/save')).body.revision, 2, 'no body: a save without a comment');
	const list = await files.admin.request('GET', '/api/v1/config/history');
	t.deepEqual(list.body.revisions.map((revision: any) => [revision.id, revision.user, revision.source, revision.comment]), [[2, 'admin', 'web', ''], [1, 'admin', 'web', 'one CAS']]);
	const diff = await files.admin.request('GET', '/api/v1/config/history/diff?from=1&to=2');
	t.is(diff.status, 200, diff.text);
	t.deepEqual(diff.body.changes, [{ path: 'casServers', from: ['10.0.0.1'], to: ['10.0.0.1', '10.0.0.2'] }]);
	const reverted = await files.admin.request('POST', '/api/v1/config/history/1/revert', { json: { comment: 'drop the second' } });
	t.is(reverted.status, 200, reverted.text);
	t.is(reverted.body.revision, 3);
	t.deepEqual((await files.admin.request('GET', '/api/v1/config')).body.casServers, ['10.0.0.1']);
	t.is((await files.admin.request('GET', '/api/v1/config/history')).body.revisions[0].comment, 'revert to revision 1: drop the second');
});

test.serial('history refusals name the field: an unknown revision 404, a bad number or a stray field 422, a control character in a comment 422', async (t) => {
	const unknown = await files.admin.request('POST', '/api/v1/config/history/99/revert');
	t.is(unknown.status, 404);
	t.deepEqual(paths(unknown.body), ['id']);
	t.deepEqual(paths((await files.admin.request('GET', '/api/v1/config/history/diff?from=1&to=0')).body), ['query.to']);
	const stray = await files.admin.request('POST', '/api/v1/config/history/1/revert', { json: { force: true } });
	t.is(stray.status, 422);
	t.deepEqual(paths(stray.body), ['force']);
	const comment = await files.admin.request('POST', '/api/v1/config/save', { json: { comment: 'two\nlines' } });
	t.is(comment.status, 422);
	t.deepEqual(paths(comment.body), ['comment']);
});

test.serial('a backup downloads as one encrypted file and restores; a wrong password is a 422 naming it and changes nothing', async (t) => {
	const form = new FormData();
	form.append('name', 'corp');
	form.append('file', new Blob([await keyAndCertificate('mail.xlc.local')]), 'corp.pem');
	t.is((await files.admin.request('POST', '/api/v1/certificates', { body: form })).status, 201);
	await patchConfig(files.admin, { http: { mode: 'ssl-offload', hostName: 'mail.xlc.local', certificate: 'corp' } });
	await files.admin.request('POST', '/api/v1/config/save', { json: { comment: 'offload' } });

	t.is((await files.admin.request('POST', '/api/v1/backup')).status, 422, 'keys inside: a password is required');
	const download = await files.admin.request('POST', '/api/v1/backup', { json: { password: backupPassword }, binary: true });
	t.is(download.status, 200, download.text);
	t.is(download.headers.get('content-type'), 'application/octet-stream');
	t.regex(download.headers.get('content-disposition') ?? '', /^attachment; filename="exlb-exlb-\d{8}T\d{6}Z\.exlbbak"$/);
	t.like(JSON.parse(download.headers.get('x-exlb-backup-manifest') ?? '{}'), { product: 'exlb', firmwareVersion: '9.9.9', containsPrivateKeys: true });
	const file = download.body as Buffer;
	t.regex(file.subarray(0, file.indexOf(0x0a)).toString(), /^\{"format":"exlb-backup"/);
	t.false(file.includes('PRIVATE KEY'), 'the key is encrypted');

	// Changed since the backup: the restore brings the backup's configuration back.
	await patchConfig(files.admin, { casServers: ['10.0.0.9'] });
	const before = await state();
	const wrong = await files.admin.request('POST', '/api/v1/backup/restore', { body: restoreForm(file, { password: 'not the password' }) });
	t.is(wrong.status, 422);
	t.deepEqual(paths(wrong.body), ['password']);
	t.deepEqual(await state(), before, 'nothing changed');
	const restored = await files.admin.request('POST', '/api/v1/backup/restore', { body: restoreForm(file, { password: backupPassword }) });
	t.is(restored.status, 200, restored.text);
	t.deepEqual((await files.admin.request('GET', '/api/v1/config')).body.casServers, ['10.0.0.1']);
	t.is((await files.admin.request('GET', '/api/v1/config/history')).body.revisions[0].source, 'restore');
	const stray = await files.admin.request('POST', '/api/v1/backup/restore', { body: restoreForm(file, { password: backupPassword, everything: 'yes' }) });
	t.is(stray.status, 422);
	t.deepEqual(paths(stray.body), ['everything']);
});

test.serial('a restore upload over 640 KiB is a 413; a large file that is not a backup a 422 naming the file; JSON instead of a form a 415', async (t) => {
	const big = await files.admin.request('POST', '/api/v1/backup/restore', { body: restoreForm(Buffer.alloc(700 * 1024, 0x41), { password: backupPassword }) });
	t.is(big.status, 413);
	const notBackup = await files.admin.request('POST', '/api/v1/backup/restore', { body: restoreForm(Buffer.alloc(600 * 1024, 0x41), { password: backupPassword }) });
	t.is(notBackup.status, 422, notBackup.text);
	t.deepEqual(paths(notBackup.body), ['file']);
	t.is((await files.admin.request('POST', '/api/v1/backup/restore', { json: { contentBase64: '' } })).status, 415);
});

test.serial('a backup whose configuration the daemons refuse (a 1024-bit key stunnel will not load) is a 422 and changes nothing', async (t) => {
	const pem = await keyAndCertificate('weak.xlc.local', { bits: 1024 });
	const { info } = await importPem('weak', pem);
	const config = { ...defaultConfig(), casServers: ['10.0.0.5'], http: { ...defaultConfig().http, mode: 'ssl-offload' as const, hostName: 'weak.xlc.local', certificate: 'weak' }, certificates: [info] };
	const file = await encodeBackup(
		{ product: 'exlb', firmwareVersion: '9.9.9', schemaVersion: 2, created: new Date().toISOString(), hostname: 'elsewhere', containsPrivateKeys: true },
		{ config: config as unknown as Record<string, unknown>, certificates: [{ name: 'weak', pem }], history: [] },
		backupPassword,
	);
	const before = await state();
	const refused = await files.admin.request('POST', '/api/v1/backup/restore', { body: restoreForm(file, { password: backupPassword }) });
	t.is(refused.status, 422, refused.text);
	t.is(refused.body.error.kind, 'refused-by-daemon');
	t.true(refused.body.error.errors.some((error: { message: string }) => /^stunnel: /.test(error.message)), refused.text);
	t.deepEqual(await state(), before, 'running, saved, history and certificates as they were');
	t.false(await exists(certificateFile(applianceRenderEnv(files.web.engine.paths), 'weak')), 'the staged certificate file was taken back');
	const [audit] = (await files.admin.request('GET', '/api/v1/audit?limit=1')).body.entries;
	t.like(audit, { operation: 'backup.restore', outcome: 'refused' });
});

test.serial('factory reset keeping the network: asks for the password, applies the defaults at once, erases certificates and history, ends the sessions', async (t) => {
	const network = (await files.admin.request('GET', '/api/v1/config')).body.network;
	t.is((await files.admin.request('POST', '/api/v1/system/factory-reset', { json: { password: 'not it', level: 'configuration' } })).status, 403);
	t.true((await files.admin.request('GET', '/api/v1/certificates')).body.certificates.some((cert: { name: string }) => cert.name === 'corp'), 'nothing was done');
	const reset = await files.admin.request('POST', '/api/v1/system/factory-reset', { json: { password: adminPassword, level: 'configuration' } });
	t.is(reset.status, 202, reset.text);
	t.is((await files.admin.request('GET', '/api/v1/config')).status, 401, 'the session ended');
	const fresh = files.web.client();
	t.true((await fresh.login('admin', 'admin')).body.passwordChangeRequired, 'the admin password is back to the first-login flow');
	const admin = await loggedInAdmin(files.web);
	const running = (await admin.request('GET', '/api/v1/config')).body;
	t.deepEqual(running, { ...defaultConfig(), network });
	t.deepEqual((await admin.request('GET', '/api/v1/config/history')).body.revisions.map((revision: any) => revision.source), ['reset']);
	t.false((await admin.request('GET', '/api/v1/certificates')).body.certificates.some((cert: { name: string }) => cert.name === 'corp'));
	t.false(files.web.engine.systemLog.some((line) => /reboot/.test(line)), 'no reboot');
});

test.serial('factory reset of everything marks the data partition for re-creation and reboots', async (t) => {
	// The previous test's reset was followed by the first-login password change.
	const admin = await loggedInAdmin(files.web, adminPassword);
	const level = await admin.request('POST', '/api/v1/system/factory-reset', { json: { password: adminPassword, level: 'all' } });
	t.is(level.status, 422);
	t.deepEqual(paths(level.body), ['level']);
	const reset = await admin.request('POST', '/api/v1/system/factory-reset', { json: { password: adminPassword, level: 'everything' } });
	t.is(reset.status, 202, reset.text);
	t.true(files.web.engine.systemLog.some((line) => /reboot/.test(line)));
	t.like(JSON.parse(await readFile(files.web.engine.paths.eraseMarker, 'utf8')), { user: 'admin', via: 'web' });
	t.false(await exists(files.web.engine.paths.savedConfig));
});
