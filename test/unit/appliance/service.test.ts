// The appliance service's operations on a temp appliance (no daemons; the image's daemons check each rendering):
// merge patches refused whole or applied whole, ETags, save/diff, the network confirmation window, certificates,
// factory reset, and the audit log.
import { access, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { waitFor } from '../../../services/apply/wait.js';
import { ApplianceProblem } from '../../../services/appliance/problems.js';
import { setKernelHostname } from '../../../services/appliance/machine.js';
import { ConfigValidationError } from '../../../services/config/issues.js';
import { loadRunningConfig, loadSavedConfig, saveConfig, writeRunningConfig } from '../../../services/config/store.js';
import { defaultConfig } from '../../../services/config/schema.js';
import { certificateFile } from '../../../services/render/env.js';
import { serviceUnderTest, webActor } from '../../helpers/appliance-service.js';

const exists = (file: string) => access(file).then(() => true, () => false);

test('a merge patch is applied whole: running record, ETag, diff against the saved one, then save; the audit names fields only', async (t) => {
	const { service } = await serviceUnderTest();
	const before = await service.getConfig('running');
	const result = await service.patch({ patch: { casServers: ['10.0.0.15', '10.0.0.16'], http: { hostName: 'mail.xlc.local' } } }, webActor);
	t.deepEqual(result.config.casServers, ['10.0.0.15', '10.0.0.16']);
	t.is(result.config.http.mode, before.config!.http.mode, 'fields the patch does not name keep their value');
	t.not(result.etag, before.etag);
	t.is((await service.getConfig('running')).etag, result.etag);
	t.deepEqual((await service.diff()).changes.map((change) => change.path), ['casServers', 'http.hostName']);
	t.is((await service.getConfig('saved')).config, null, 'nothing saved yet');
	await service.save(webActor);
	t.deepEqual((await service.diff()).changes, []);
	t.deepEqual((await loadSavedConfig(service.paths))?.casServers, ['10.0.0.15', '10.0.0.16']);
	const audit = (await service.auditEntries(10)).entries;
	t.deepEqual(audit.map((entry) => `${entry.operation} ${entry.outcome} ${entry.paths.join(',')}`), ['config.save done casServers,http.hostName', 'config.patch done casServers,http.hostName']);
	t.false(JSON.stringify(audit).includes('10.0.0.15'), 'values are never in the audit log');
});

test('a refused patch names every field, changes nothing and is audited as refused', async (t) => {
	const { service } = await serviceUnderTest();
	const before = await service.getConfig('running');
	const error = await t.throwsAsync(service.patch({ patch: { http: { casHttpPort: 70000, bogus: 1 }, casServers: ['10.0.0.1\nlisten evil'] } }, webActor), { instanceOf: ConfigValidationError });
	t.deepEqual(error.issues.map((issue) => issue.path).sort(), ['casServers[0]', 'http.bogus', 'http.casHttpPort']);
	t.is((await service.getConfig('running')).etag, before.etag);
	t.false(await exists(service.paths.runningConfig), 'no running record was written');
	const [entry] = (await service.auditEntries(1)).entries;
	t.is(entry?.outcome, 'refused');
});

test('a key that would reach an object prototype is refused by name', async (t) => {
	const { service } = await serviceUnderTest();
	const patch = JSON.parse('{"http":{"__proto__":{"mode":"disabled"}}}') as Record<string, unknown>;
	const error = await t.throwsAsync(service.patch({ patch }, webActor), { instanceOf: ConfigValidationError });
	t.deepEqual(error.issues.map((issue) => issue.path), ['http.__proto__']);
});

test('null in a merge patch puts a field back to its default', async (t) => {
	const { service } = await serviceUnderTest();
	await service.patch({ patch: { http: { timeout: 90 } } }, webActor);
	const result = await service.patch({ patch: { http: { timeout: null } } }, webActor);
	t.is(result.config.http.timeout, defaultConfig().http.timeout);
});

test('If-Match with an older ETag is refused as a conflict and the newer change stays', async (t) => {
	const { service } = await serviceUnderTest();
	const read = await service.getConfig('running');
	await service.patch({ patch: { casServers: ['10.0.0.1'] } }, webActor);
	const error = await t.throwsAsync(service.patch({ patch: { casServers: ['10.0.0.2'] }, ifMatch: read.etag! }, webActor), { instanceOf: ApplianceProblem });
	t.is(error.kind, 'conflict');
	t.deepEqual((await loadRunningConfig(service.paths)).casServers, ['10.0.0.1']);
});

test('check validates and runs the daemons\' checks without changing the running configuration', async (t) => {
	const { service } = await serviceUnderTest();
	const checked = await service.check({ casServers: ['10.0.0.15'], http: { mode: 'ssl-offload', hostName: 'mail.xlc.local' } });
	t.is(checked.config.http.mode, 'ssl-offload');
	t.false(await exists(service.paths.runningConfig));
	await t.throwsAsync(service.check({ http: { mode: 'tls' } }), { instanceOf: ConfigValidationError, message: /http\.mode/ });
});

test('a change that moves the address is rolled back unless confirmed from the new address; save waits for it', async (t) => {
	// The rollback takes the apply lock on its own timer: changes wait for it as they would in the engine.
	const logs: string[] = [];
	const { service } = await serviceUnderTest({ confirmWindowMs: 5_000, lockWaitMs: 30_000, log: (line) => logs.push(line) });
	const base = defaultConfig();
	await writeRunningConfig({ ...base, network: { ...base.network, source: 'static', address: '10.0.0.5', netmask: '255.255.255.0' } }, service.paths);
	t.false((await service.confirmNetwork('10.0.0.5', webActor)).confirmed, 'nothing is pending');
	const moved = await service.patch({ patch: { network: { address: '10.0.0.6' } } }, webActor);
	t.is(moved.pendingNetwork?.url, 'https://10.0.0.6:4444/');
	const saveError = await t.throwsAsync(service.save(webActor), { instanceOf: ApplianceProblem });
	t.is(saveError.kind, 'conflict');
	t.false((await service.confirmNetwork('10.0.0.5', webActor)).confirmed, 'a confirmation reaching the old address does not count');
	await waitFor('the previous address to come back', 60_000, async () => {
		if ((await loadRunningConfig(service.paths)).network.address !== '10.0.0.5') throw new Error('still 10.0.0.6');
		return true;
	}, 50);

	const again = await service.patch({ patch: { network: { address: '10.0.0.7' } } }, webActor);
	t.deepEqual(logs, ['network change not confirmed in time: the previous network settings are back']);
	t.truthy(again.pendingNetwork);
	t.true((await service.confirmNetwork('10.0.0.7', webActor)).confirmed);
	await service.save(webActor);
	t.is((await loadSavedConfig(service.paths))?.network.address, '10.0.0.7');
});

test('the console\'s network change keeps unsaved running changes and is refused whole when the saved configuration refuses it', async (t) => {
	const { service } = await serviceUnderTest();
	await saveConfig({ ...defaultConfig(), network: { ...defaultConfig().network, source: 'static', address: '10.0.0.5' }, ha: { ...defaultConfig().ha, role: 'master', vip: '10.0.0.9', clusterId: 51 } }, service.paths);
	await service.patch({ patch: { casServers: ['10.0.0.20'] } }, webActor);
	const network = { ...defaultConfig().network, source: 'static' as const, address: '10.1.0.5' };
	await t.throwsAsync(service.applyNetwork(network, { save: true }, { ...webActor, via: 'console' }), { instanceOf: ConfigValidationError, message: /ha\.vip/ });
	t.is((await loadRunningConfig(service.paths)).network.address, '10.0.0.5', 'nothing was applied');
	await service.patch({ patch: { ha: { role: 'disabled', vip: '' } } }, webActor);
	await saveConfig({ ...(await loadSavedConfig(service.paths))!, ha: { ...defaultConfig().ha, role: 'disabled', vip: '', clusterId: 51 } }, service.paths);
	await service.applyNetwork(network, { save: true }, { ...webActor, via: 'console' });
	const running = await loadRunningConfig(service.paths);
	t.is(running.network.address, '10.1.0.5');
	t.deepEqual(running.casServers, ['10.0.0.20'], 'the unsaved running change is still running');
	t.deepEqual((await loadSavedConfig(service.paths))?.casServers, [], '... and still unsaved');
});

async function pemFor(dir: string, commonName: string, days = 30): Promise<string> {
	const key = path.join(dir, `${commonName}.key`);
	const cert = path.join(dir, `${commonName}.crt`);
	await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', `/CN=${commonName}`, '-addext', `subjectAltName=DNS:${commonName},DNS:autodiscover.xlc.local`]);
	return (await readFile(key, 'utf8')) + (await readFile(cert, 'utf8'));
}

test('certificates: imported, listed with SANs, days left and users; deleting one in use is refused; unused it goes with its file', async (t) => {
	const { service, deps } = await serviceUnderTest();
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-cert-'));
	const imported = await service.importCertificate({ name: 'corp', pem: await pemFor(dir, 'mail.xlc.local') }, webActor);
	t.deepEqual(imported.certificate.altNames, ['mail.xlc.local', 'autodiscover.xlc.local']);
	t.true(imported.certificate.daysLeft >= 29 && imported.certificate.daysLeft <= 30);
	await service.patch({ patch: { casServers: ['10.0.0.15'], http: { mode: 'ssl-offload', hostName: 'mail.xlc.local', certificate: 'corp' } } }, webActor);
	const listed = await service.listCertificates();
	t.deepEqual(listed.find((cert) => cert.name === 'corp')?.usedBy, ['http.certificate']);
	const refusal = await t.throwsAsync(service.deleteCertificate('corp', webActor), { instanceOf: ApplianceProblem });
	t.is(refusal.kind, 'conflict');
	t.regex(refusal.message, /http\.certificate/);
	await service.patch({ patch: { http: { certificate: 'self-signed' } } }, webActor);
	await service.deleteCertificate('corp', webActor);
	t.false(await exists(certificateFile(deps.apply.env, 'corp')));
	const unknown = await t.throwsAsync(service.deleteCertificate('corp', webActor), { instanceOf: ApplianceProblem });
	t.is(unknown.kind, 'not-found');
});

test('a refused certificate import leaves no file behind; a bad name is refused by field', async (t) => {
	const { service, deps } = await serviceUnderTest();
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-cert-'));
	const pem = await pemFor(dir, 'mail.xlc.local');
	const name = await t.throwsAsync(service.importCertificate({ name: '../etc', pem }, webActor), { instanceOf: ApplianceProblem });
	t.deepEqual(name.errors.map((error) => error.path), ['name']);
	const [key, ...rest] = pem.split(/(?=-----BEGIN CERTIFICATE-----)/);
	const other = await pemFor(dir, 'other.xlc.local');
	await t.throwsAsync(service.importCertificate({ name: 'mismatch', pem: `${other.split(/(?=-----BEGIN CERTIFICATE-----)/)[0]}${rest.join('')}` }, webActor), { message: /does not match/ });
	t.truthy(key);
	t.false(await exists(certificateFile(deps.apply.env, 'mismatch')));
	t.deepEqual((await loadRunningConfig(service.paths)).certificates, []);
});

test('a CSR made on the appliance keeps its key there; the signed certificate imported alone is completed with it', async (t) => {
	const { service } = await serviceUnderTest();
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-ca-'));
	const csr = await service.makeCsr({ name: 'owa', commonName: 'mail.xlc.local', altNames: ['autodiscover.xlc.local'] }, webActor);
	t.regex(csr, /-----BEGIN CERTIFICATE REQUEST-----/);
	t.notRegex(csr, /PRIVATE KEY/);
	// A test CA signs it, as the admin's CA would.
	await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'ca.key'), '-out', path.join(dir, 'ca.crt'), '-days', '30', '-subj', '/CN=Test CA']);
	await writeFile(path.join(dir, 'req.csr'), csr);
	await execa('openssl', ['x509', '-req', '-in', path.join(dir, 'req.csr'), '-CA', path.join(dir, 'ca.crt'), '-CAkey', path.join(dir, 'ca.key'), '-out', path.join(dir, 'signed.crt'), '-days', '30', '-copy_extensions', 'copy']);
	const signed = await readFile(path.join(dir, 'signed.crt'), 'utf8');
	const imported = await service.importCertificate({ name: 'owa', pem: signed }, webActor);
	t.is(imported.certificate.commonName, 'mail.xlc.local');
	t.false(imported.certificate.selfSigned);
	t.deepEqual(imported.certificate.altNames, ['mail.xlc.local', 'autodiscover.xlc.local']);
});

test('an expired certificate is accepted with a warning naming it', async (t) => {
	const { service } = await serviceUnderTest();
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-cert-'));
	// openssl 3.0 req has no -not_after: a one-off self-signing CA dates it (openssl ca -startdate/-enddate).
	await writeFile(path.join(dir, 'index.txt'), '');
	await writeFile(path.join(dir, 'serial'), '01\n');
	await writeFile(path.join(dir, 'ca.cnf'), '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n');
	await execa('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'r.csr', '-subj', '/CN=old.xlc.local'], { cwd: dir });
	await execa('openssl', ['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'k.pem', '-in', 'r.csr', '-out', 'c.pem', '-notext', '-startdate', '20200101000000Z', '-enddate', '20210101000000Z'], { cwd: dir });
	const result = await service.importCertificate({ name: 'old', pem: (await readFile(path.join(dir, 'k.pem'), 'utf8')) + (await readFile(path.join(dir, 'c.pem'), 'utf8')) }, webActor);
	t.true(result.warnings.some((warning) => /expired/.test(warning.message)));
	t.true(result.certificate.daysLeft < 0);
});

test('factory reset removes the saved configuration, web accounts, tokens and certificates, then reboots', async (t) => {
	const { service, deps, systemLog } = await serviceUnderTest();
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-cert-'));
	await service.importCertificate({ name: 'corp', pem: await pemFor(dir, 'mail.xlc.local') }, webActor);
	await service.save(webActor);
	for (const file of deps.accountFiles) {
		await mkdir(path.dirname(file), { recursive: true });
		await writeFile(file, 'secret\n');
	}
	await service.factoryReset(webActor, { level: 'everything', reboot: true });
	t.false(await exists(service.paths.savedConfig));
	for (const file of deps.accountFiles) t.false(await exists(file));
	t.false(await exists(certificateFile(deps.apply.env, 'corp')));
	t.deepEqual(systemLog, ['no systemd on this machine: reboot not done']);
});

test('system information names the version and build date it was given', async (t) => {
	const { service } = await serviceUnderTest();
	const info = await service.info();
	t.is(info.version, '9.9.9');
	t.is(info.buildDate, '2026-01-01');
	t.true(info.memory.totalBytes > 0);
});

test('a network change is applied with the whole configuration: networkd files written and reloaded, keepalived re-rendered for the new subnet', async (t) => {
	let reloads = 0;
	const hostnames: string[] = [];
	const { deps } = await serviceUnderTest();
	const setHostname = async (name: string) => void hostnames.push(name);
	const { service } = await serviceUnderTest({ apply: { ...deps.apply, network: { reload: async () => void reloads++, setHostname } } });
	const base = defaultConfig();
	const console = { ...webActor, via: 'console' as const };
	await writeRunningConfig({ ...base, network: { ...base.network, source: 'static', address: '10.0.2.50' }, ha: { ...base.ha, role: 'master', vip: '10.0.2.100', clusterId: 51 } }, service.paths);
	await t.throwsAsync(service.applyNetwork({ ...base.network, source: 'static', address: '10.9.0.5', netmask: '255.255.255.0' }, { save: false }, console), { message: /ha\.vip/ });
	t.is(reloads, 0, 'a network the configuration refuses (the VIP outside the new subnet) is never applied');
	await service.applyNetwork({ ...base.network, hostname: 'lb-a', source: 'static', address: '10.0.2.60', netmask: '255.255.0.0' }, { save: false }, console);
	t.is(reloads, 1);
	t.deepEqual(hostnames, ['lb-a'], 'the host name set with the network');
	const networkd = await readFile(path.join(service.paths.networkdDir, '10-exlb.network'), 'utf8');
	t.regex(networkd, /^Address=10\.0\.2\.60\/16$/m);
	const keepalived = await readFile(path.join(service.paths.renderDir, 'keepalived.conf'), 'utf8');
	t.regex(keepalived, /10\.0\.2\.100\/16/, 'the VIP takes the new prefix length');
	t.is((await loadRunningConfig(service.paths)).network.address, '10.0.2.60');
});

test('the kernel host name is written only when it differs', async (t) => {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-hostname-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	const file = path.join(dir, 'hostname');
	await writeFile(file, 'exlb\n');
	await setKernelHostname('lb-a', file);
	t.is(await readFile(file, 'utf8'), 'lb-a');
	const { mtimeMs } = await stat(file);
	await setKernelHostname('lb-a', file);
	t.is((await stat(file)).mtimeMs, mtimeMs, 'the same name: not written again');
});
