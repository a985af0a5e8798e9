// The appliance service's lifecycle operations on a temp appliance (no daemons started; the image's daemons check
// every rendering): each save kept as a revision with its source, the diff between revisions, revert, backup and
// restore onto another appliance (network kept unless asked), and both factory-reset levels.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import type { ServiceController } from '../../../services/apply/controller.js';
import { ApplianceProblem } from '../../../services/appliance/problems.js';
import { BackupError } from '../../../services/backup/errors.js';
import { ConfigValidationError } from '../../../services/config/issues.js';
import { loadRunningConfig, loadSavedConfig } from '../../../services/config/store.js';
import { defaultConfig, type NetworkConfig } from '../../../services/config/schema.js';
import { certificateFile } from '../../../services/render/env.js';
import { serviceUnderTest, webActor } from '../../helpers/appliance-service.js';
import { keyAndCertificate } from '../../helpers/test-certificate.js';

const exists = (file: string) => access(file).then(() => true, () => false);
const tokenActor = { user: 'deploy-bot', address: '192.0.2.20', via: 'token' as const };
const cliActor = { user: 'root', address: '', via: 'cli' as const };
const consoleActor = { user: 'console', address: '', via: 'console' as const };
const staticNetwork = (address: string, hostname = 'lb1'): NetworkConfig => ({ ...defaultConfig().network, hostname, source: 'static', address, gateway: '10.0.2.1', netmask: '255.255.255.0' });

test('every save is a revision: who, from where, why, and the hash; newest first', async (t) => {
	const { service } = await serviceUnderTest();
	await service.patch({ patch: { casServers: ['10.0.0.1'] } }, webActor);
	const first = await service.save(webActor, 'first CAS');
	await service.patch({ patch: { casServers: ['10.0.0.2'] } }, tokenActor);
	await service.save(tokenActor);
	await service.save(cliActor);
	await service.recordNetwork(staticNetwork('10.0.2.50'), { save: true }, consoleActor);
	t.is(first.revision, 1);
	const { revisions } = await service.listHistory();
	t.deepEqual(revisions.map((revision) => [revision.id, revision.user, revision.source, revision.comment]), [
		[4, 'console', 'console', 'network settings'], [3, 'root', 'cli', ''], [2, 'deploy-bot', 'api', ''], [1, 'admin', 'web', 'first CAS'],
	]);
	t.is(revisions[1]!.hash, revisions[2]!.hash, 'saving the same configuration twice: the same hash');
	t.not(revisions[2]!.hash, revisions[3]!.hash);
});

test('a server put into maintenance is written through to the saved configuration as a revision naming it', async (t) => {
	const { service } = await serviceUnderTest();
	await service.patch({ patch: { casServers: ['10.0.0.1', '10.0.0.2'] } }, webActor);
	await service.save(webActor);
	await service.changeServerStates(webActor, (running) => ({ ...running, serverStates: { '10.0.0.2': 'maint' } }));
	const [latest] = (await service.listHistory()).revisions;
	t.is(latest?.comment, 'server states: 10.0.0.2 maint');
	t.deepEqual((await loadSavedConfig(service.paths))?.serverStates, { '10.0.0.2': 'maint' });
});

test('the diff between two revisions names each changed field with both values; an unknown revision is not found by field', async (t) => {
	const { service } = await serviceUnderTest();
	await service.patch({ patch: { casServers: ['10.0.0.1'], http: { hostName: 'mail.a.local' } } }, webActor);
	await service.save(webActor);
	await service.patch({ patch: { casServers: ['10.0.0.2'] } }, webActor);
	await service.save(webActor);
	t.deepEqual((await service.diffRevisions(1, 2)).changes, [{ path: 'casServers', from: ['10.0.0.1'], to: ['10.0.0.2'] }]);
	t.deepEqual((await service.diffRevisions(2, 1)).changes, [{ path: 'casServers', from: ['10.0.0.2'], to: ['10.0.0.1'] }]);
	t.deepEqual((await service.diffRevisions(2, 2)).changes, []);
	const missing = await t.throwsAsync(service.diffRevisions(1, 9), { instanceOf: ApplianceProblem });
	t.is(missing.kind, 'not-found');
	t.deepEqual(missing.errors.map((error) => error.path), ['to']);
});

test('revert applies an older revision and saves it as a new one; the network stays unless asked', async (t) => {
	const { service } = await serviceUnderTest();
	await service.recordNetwork(staticNetwork('10.0.2.50', 'lb-old'), { save: true }, consoleActor);
	await service.patch({ patch: { casServers: ['10.0.0.1'] } }, webActor);
	await service.save(webActor);
	await service.patch({ patch: { casServers: ['10.0.0.2'] } }, webActor);
	await service.save(webActor);
	await service.recordNetwork(staticNetwork('10.0.2.60', 'lb-new'), { save: true }, consoleActor);

	const reverted = await service.revert({ id: 2, comment: 'back to one CAS' }, webActor);
	t.is(reverted.revision, 5);
	t.deepEqual(reverted.config.casServers, ['10.0.0.1']);
	t.is(reverted.config.network.hostname, 'lb-new', 'the appliance keeps its current network settings');
	const running = await loadRunningConfig(service.paths);
	t.deepEqual(running.casServers, ['10.0.0.1'], 'applied');
	t.deepEqual(await loadSavedConfig(service.paths), running, 'and saved');
	const [latest] = (await service.listHistory()).revisions;
	t.deepEqual([latest?.id, latest?.source, latest?.comment], [5, 'web', 'revert to revision 2: back to one CAS']);

	const withNetwork = await service.revert({ id: 2, includeNetwork: true }, webActor);
	t.is(withNetwork.config.network.hostname, 'lb-old');
	t.is(withNetwork.revision, 6);
	t.is((await t.throwsAsync(service.revert({ id: 42 }, webActor), { instanceOf: ApplianceProblem })).kind, 'not-found');
});

test('a revision the model now refuses with this appliance\'s network is refused by field and changes nothing', async (t) => {
	const { service } = await serviceUnderTest();
	await service.recordNetwork(staticNetwork('10.0.2.50'), { save: true }, consoleActor);
	await service.patch({ patch: { ha: { role: 'master', vip: '10.0.2.100' } } }, webActor);
	await service.save(webActor);
	await service.patch({ patch: { ha: { role: 'disabled', vip: '' } } }, webActor);
	await service.recordNetwork({ ...staticNetwork('10.9.0.5'), gateway: '' }, { save: false }, consoleActor);
	await service.patch({ patch: { ha: { role: 'master', vip: '10.9.0.100' } } }, webActor);
	const before = await service.getConfig('running');
	// Revision 2's VIP with this appliance's address (10.9.0.5) and role (master): outside the subnet.
	const error = await t.throwsAsync(service.revert({ id: 2 }, webActor), { instanceOf: ConfigValidationError });
	t.deepEqual(error.issues.map((issue) => issue.path), ['ha.vip']);
	t.is((await service.getConfig('running')).etag, before.etag);
	t.is((await service.listHistory()).revisions.length, 2, 'no revision was added');
});

/** An appliance with an imported certificate in use, saved: what a backup is made of. */
async function applianceWithCertificate(hostname: string) {
	const sut = await serviceUnderTest();
	await sut.service.recordNetwork(staticNetwork('10.0.2.50', hostname), { save: true }, consoleActor);
	await sut.service.importCertificate({ name: 'corp', pem: await keyAndCertificate('mail.xlc.local') }, webActor);
	await sut.service.patch({ patch: { casServers: ['10.0.0.15'], http: { mode: 'ssl-offload', hostName: 'mail.xlc.local', certificate: 'corp' } } }, webActor);
	await sut.service.save(webActor, 'offload');
	return sut;
}

test('a backup restored on a fresh appliance brings the configuration and the certificate with its key; the network stays unless asked', async (t) => {
	const source = await applianceWithCertificate('lb-source');
	const backup = await source.service.createBackup('a long backup password', webActor);
	t.regex(backup.fileName, /^exlb-lb-source-\d{8}T\d{6}Z\.exlbbak$/);
	t.like(backup.manifest, { product: 'exlb', firmwareVersion: '9.9.9', schemaVersion: 2, hostname: 'lb-source', containsPrivateKeys: true });

	const target = await serviceUnderTest();
	await target.service.recordNetwork(staticNetwork('10.0.2.77', 'lb-target'), { save: true }, consoleActor);
	const restored = await target.service.restore({ contentBase64: backup.contentBase64, password: 'a long backup password' }, webActor);
	t.is(restored.revision, 2);
	t.deepEqual(restored.history.map((revision) => revision.comment), ['offload', 'network settings']);
	const running = await loadRunningConfig(target.service.paths);
	t.is(running.http.certificate, 'corp');
	t.deepEqual(running.casServers, ['10.0.0.15']);
	t.is(running.network.hostname, 'lb-target', 'this appliance\'s network settings are kept');
	t.is(running.network.address, '10.0.2.77');
	t.deepEqual(await loadSavedConfig(target.service.paths), running);
	t.is(await readFile(certificateFile(target.deps.apply.env, 'corp'), 'utf8'), await readFile(certificateFile(source.deps.apply.env, 'corp'), 'utf8'), 'the same key and certificate');
	const [latest] = (await target.service.listHistory()).revisions;
	t.is(latest?.source, 'restore');
	t.regex(latest?.comment ?? '', /^backup of lb-source made .* by exlb 9\.9\.9$/);

	await target.service.restore({ contentBase64: backup.contentBase64, password: 'a long backup password', includeNetwork: true }, webActor);
	t.is((await loadRunningConfig(target.service.paths)).network.hostname, 'lb-source', 'asked for: the network comes from the backup');
});

test('a restore removes the certificates the restored configuration does not name', async (t) => {
	const source = await applianceWithCertificate('lb-source');
	const backup = await source.service.createBackup('a long backup password', webActor);
	const target = await applianceWithCertificate('lb-target');
	await target.service.importCertificate({ name: 'other', pem: await keyAndCertificate('other.xlc.local') }, webActor);
	await target.service.restore({ contentBase64: backup.contentBase64, password: 'a long backup password' }, webActor);
	t.false(await exists(certificateFile(target.deps.apply.env, 'other')));
	t.true(await exists(certificateFile(target.deps.apply.env, 'corp')));
});

test('a backup needs a saved configuration, and a password when it holds keys; without keys it may be plain', async (t) => {
	const { service } = await serviceUnderTest();
	t.is((await t.throwsAsync(service.createBackup('a long backup password', webActor), { instanceOf: ApplianceProblem })).kind, 'not-found');
	await service.save(webActor);
	const plain = await service.createBackup(undefined, webActor);
	t.false(plain.manifest.containsPrivateKeys);
	t.regex(Buffer.from(plain.contentBase64, 'base64').toString(), /"casServers"/, 'no keys: readable');
	const withKeys = await applianceWithCertificate('lb1');
	await t.throwsAsync(withKeys.service.createBackup(undefined, webActor), { instanceOf: BackupError, message: /password: is required/ });
	t.deepEqual((await t.throwsAsync(withKeys.service.createBackup('short', webActor), { instanceOf: ApplianceProblem })).errors.map((error) => error.path), ['password']);
	const [audit] = (await withKeys.service.auditEntries(1)).entries;
	t.like(audit, { operation: 'backup.create', outcome: 'refused' });
});

test('a wrong password, a changed byte or a backup from a newer exlb is refused and changes nothing', async (t) => {
	const source = await applianceWithCertificate('lb-source');
	const backup = Buffer.from((await source.service.createBackup('a long backup password', webActor)).contentBase64, 'base64');
	const target = await serviceUnderTest();
	await target.service.patch({ patch: { casServers: ['10.0.0.99'] } }, webActor);
	await target.service.save(webActor);
	const before = { running: await target.service.getConfig('running'), saved: await target.service.getConfig('saved'), history: await target.service.listHistory() };
	const flipped = Buffer.from(backup);
	flipped[flipped.length - 100]! ^= 0x04;
	const header = backup.subarray(0, backup.indexOf(0x0a)).toString().replace('"schemaVersion":2', '"schemaVersion":3');
	const newer = Buffer.concat([Buffer.from(`${header}\n`), backup.subarray(backup.indexOf(0x0a) + 1)]);
	for (const [file, password, field] of [[backup, 'wrong password!', 'password'], [flipped, 'a long backup password', 'password'], [newer, 'a long backup password', 'password']] as const) {
		const error = await t.throwsAsync(target.service.restore({ contentBase64: file.toString('base64'), password }, webActor), { instanceOf: BackupError });
		t.is(error.field, field);
	}
	t.deepEqual({ running: await target.service.getConfig('running'), saved: await target.service.getConfig('saved'), history: await target.service.listHistory() }, before);
	t.false(await exists(certificateFile(target.deps.apply.env, 'corp')));
	const audit = (await target.service.auditEntries(3)).entries;
	t.true(audit.every((entry) => entry.operation === 'backup.restore' && entry.outcome === 'refused'));
});

test('factory reset, configuration level: defaults applied at once with the network kept; certificates, history, accounts erased', async (t) => {
	const { service, deps, systemLog } = await applianceWithCertificate('lb-keep');
	await writeFile(certificateFile(deps.apply.env, 'self-signed'), 'the web interface\'s certificate\n');
	for (const file of deps.accountFiles) {
		await mkdir(path.dirname(file), { recursive: true });
		await writeFile(file, 'secret\n');
	}
	await service.factoryReset(webActor, { level: 'configuration', reboot: false });
	const running = await loadRunningConfig(service.paths);
	t.deepEqual(running, { ...defaultConfig(), network: staticNetwork('10.0.2.50', 'lb-keep') }, 'factory settings except the network');
	t.deepEqual(await loadSavedConfig(service.paths), running, 'saved: the address survives a reboot');
	t.false(await exists(certificateFile(deps.apply.env, 'corp')));
	t.true(await exists(certificateFile(deps.apply.env, 'self-signed')), 'the generated certificate (the web interface\'s) stays');
	for (const file of deps.accountFiles) t.false(await exists(file));
	const { revisions } = await service.listHistory();
	t.deepEqual(revisions.map((revision) => [revision.id, revision.source]), [[1, 'reset']], 'a new history starting with the reset');
	t.false(await exists(service.paths.eraseMarker));
	t.deepEqual(systemLog, [], 'no reboot');
});

test('factory reset, everything: the data partition is marked for re-creation, the saved settings erased now, then a reboot', async (t) => {
	const { service, deps, systemLog } = await applianceWithCertificate('lb-gone');
	await writeFile(certificateFile(deps.apply.env, 'self-signed'), 'the web interface\'s certificate\n');
	await service.factoryReset(webActor, { level: 'everything', reboot: true });
	t.like(JSON.parse(await readFile(service.paths.eraseMarker, 'utf8')), { user: 'admin', via: 'web' });
	t.false(await exists(service.paths.savedConfig));
	t.false(await exists(certificateFile(deps.apply.env, 'corp')));
	t.false(await exists(certificateFile(deps.apply.env, 'self-signed')));
	t.deepEqual((await service.listHistory()).revisions, []);
	t.deepEqual(systemLog, ['no systemd on this machine: reboot not done']);
	const [audit] = (await service.auditEntries(1)).entries;
	t.like(audit, { operation: 'system.factoryReset.everything', outcome: 'done' });
});

test('a restore whose apply fails after the swap (a daemon that will not start) is rolled back: certificates, running and saved configuration and history as they were', async (t) => {
	const source = await applianceWithCertificate('lb-source');
	t.regex(await readFile(path.join(source.service.paths.renderDir, 'haproxy.cfg'), 'utf8'), /tls-https\.sock/, 'offload renders the stunnel socket (what the rollback must take away)');
	const backup = await source.service.createBackup('a long backup password', webActor);
	const { deps } = await serviceUnderTest();
	// Like the no-daemons controller, except that stunnel-https will not start.
	const refusing: ServiceController = {
		start: async (daemon) => {
			if (daemon === 'stunnel-https') throw new Error('stunnel-https: start refused (test)');
		},
		reload: async () => {},
		stop: async () => {},
		isRunning: async () => false,
	};
	const target = await serviceUnderTest({ apply: { ...deps.apply, controller: refusing } });
	await target.service.patch({ patch: { casServers: ['10.0.0.99'] } }, webActor);
	await target.service.save(webActor, 'before the restore');
	const before = { running: await target.service.getConfig('running'), saved: await target.service.getConfig('saved'), history: await target.service.listHistory() };
	await t.throwsAsync(target.service.restore({ contentBase64: backup.contentBase64, password: 'a long backup password' }, webActor), { message: /stunnel-https: start refused/ });
	t.deepEqual({ running: await target.service.getConfig('running'), saved: await target.service.getConfig('saved'), history: await target.service.listHistory() }, before);
	t.false(await exists(certificateFile(target.deps.apply.env, 'corp')), 'the restored certificate file was taken back');
	t.notRegex(await readFile(path.join(target.service.paths.renderDir, 'haproxy.cfg'), 'utf8'), /tls-https\.sock/, 'the previous rendering is back in force');
});
