// What a restore will put in force, before anything changes: a newer schema refused, an older configuration
// migrated with its notes, certificates checked against their keys, this appliance's network and HA role kept.
import test from 'ava';
import { planRestore } from '../../../services/backup/restore-plan.js';
import { BackupError } from '../../../services/backup/errors.js';
import type { BackupContents, BackupManifest } from '../../../services/backup/format.js';
import { ConfigValidationError } from '../../../services/config/issues.js';
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { keyAndCertificate } from '../../helpers/test-certificate.js';

const manifest: BackupManifest = { product: 'exlb', firmwareVersion: '1.0.0', schemaVersion: 2, created: '2026-12-01T10:00:00.000Z', hostname: 'lb-source', containsPrivateKeys: false };
const contentsOf = (config: unknown, certificates: BackupContents['certificates'] = []): BackupContents => ({ config: config as Record<string, unknown>, certificates, history: [] });

const source: Config = {
	...defaultConfig(),
	network: { ...defaultConfig().network, hostname: 'lb-source', source: 'static', address: '10.1.0.5', gateway: '10.1.0.1' },
	ha: { ...defaultConfig().ha, role: 'backup', vip: '10.1.0.100', clusterId: 7 },
	casServers: ['10.1.0.20'],
};
const here: Config = {
	...defaultConfig(),
	network: { ...defaultConfig().network, hostname: 'lb-here', source: 'static', address: '10.1.0.6', gateway: '10.1.0.1' },
	ha: { ...defaultConfig().ha, role: 'master', vip: '10.1.0.100', clusterId: 7 },
};

test('this appliance\'s network settings and HA role are kept unless the restore includes them', async (t) => {
	const kept = await planRestore(manifest, contentsOf(source), here, { includeNetwork: false });
	t.deepEqual(kept.config.network, here.network);
	t.is(kept.config.ha.role, 'master');
	t.is(kept.config.ha.clusterId, 7, 'the rest of the HA settings come from the backup');
	t.deepEqual(kept.config.casServers, ['10.1.0.20']);
	const included = await planRestore(manifest, contentsOf(source), here, { includeNetwork: true });
	t.deepEqual(included.config.network, source.network);
	t.is(included.config.ha.role, 'backup');
});

test('a backup from a newer exlb is refused by its schema version', async (t) => {
	const error = await t.throwsAsync(planRestore({ ...manifest, schemaVersion: 3, firmwareVersion: '7.0.0' }, contentsOf(source), here, { includeNetwork: false }), { instanceOf: BackupError });
	t.is(error.field, 'manifest.schemaVersion');
	t.regex(error.message, /newer exlb \(7\.0\.0\)/);
});

test('an older configuration is migrated, its notes returned as warnings', async (t) => {
	const { version: _version, ...old } = { ...source, http: { ...source.http, timeout: 5 } };
	const plan = await planRestore({ ...manifest, schemaVersion: 1 }, contentsOf(old), here, { includeNetwork: false });
	t.is(plan.config.version, 2);
	t.is(plan.config.http.timeout, 10);
	t.deepEqual(plan.warnings.map((warning) => warning.path), ['http.timeout']);
});

test('a configuration the model refuses is refused naming the field', async (t) => {
	const error = await t.throwsAsync(planRestore(manifest, contentsOf({ ...source, casServers: ['10.1.0.999'] }), here, { includeNetwork: false }), { instanceOf: ConfigValidationError });
	t.deepEqual(error.issues.map((issue) => issue.path), ['casServers[0]']);
});

test('each certificate the configuration names must be in the file with a key that matches it; its metadata is read from the PEM', async (t) => {
	const pem = await keyAndCertificate('mail.xlc.local');
	const other = await keyAndCertificate('other.xlc.local');
	const withCert = { ...source, certificates: [{ name: 'corp', commonName: 'stale', notBefore: '2020-01-01T00:00:00Z', notAfter: '2020-01-02T00:00:00Z', selfSigned: true, fingerprint: Array(32).fill('00').join(':') }] };
	const plan = await planRestore(manifest, contentsOf(withCert, [{ name: 'corp', pem }]), here, { includeNetwork: false });
	t.is(plan.config.certificates[0]?.commonName, 'mail.xlc.local');
	t.is(plan.certificates[0]?.info.name, 'corp');
	const missing = await t.throwsAsync(planRestore(manifest, contentsOf(withCert, []), here, { includeNetwork: false }), { instanceOf: BackupError });
	t.is(missing.field, 'certificates.corp');
	const keyOfAnother = other.slice(0, other.indexOf('-----BEGIN CERTIFICATE-----')) + pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----'));
	const mismatch = await t.throwsAsync(planRestore(manifest, contentsOf(withCert, [{ name: 'corp', pem: keyOfAnother }]), here, { includeNetwork: false }), { instanceOf: BackupError });
	t.is(mismatch.field, 'certificates.corp');
	t.regex(mismatch.message, /does not match/);
});
