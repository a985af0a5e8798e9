// The appliance service's configuration transactions: one lock from reading the running configuration to
// recording the new one; a certificate file stays only if the apply that uses it succeeded.
import { mkdtemp, readFile, writeFile, mkdir, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { applyLockFile, type ApplyOptions } from '../../../services/apply/apply.js';
import type { ServiceController } from '../../../services/apply/controller.js';
import { NoDaemonsController } from '../../../services/apply/no-daemons-controller.js';
import { changeRunningConfig, importCertificate } from '../../../services/appliance/config-changes.js';
import { importPem } from '../../../services/certs/import.js';
import { loadRunningConfig } from '../../../services/config/store.js';
import { appliancePaths } from '../../../services/paths.js';
import { applianceRenderEnv, certificateFile } from '../../../services/render/env.js';
import { exlb, makeExlbRoot } from '../../helpers/exlb-cli.js';

async function applianceIn(controller: ServiceController = new NoDaemonsController()): Promise<ApplyOptions> {
	const paths = appliancePaths(await mkdtemp(path.join(tmpdir(), 'exlb-service-')));
	return { paths, env: applianceRenderEnv(paths, 'eth0'), controller };
}

async function certificateBundle(dir: string, commonName: string): Promise<string> {
	const key = path.join(dir, `${commonName}.key`);
	const cert = path.join(dir, `${commonName}.crt`);
	await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${commonName}`]);
	return (await readFile(key, 'utf8')) + (await readFile(cert, 'utf8'));
}

/** A controller whose every daemon start fails after the checks passed (as a port taken by another process would). */
class FailingController extends NoDaemonsController {
	override async start(): Promise<void> {
		throw new Error('port 443 is taken');
	}
}

test('a change made while another holds the lock is refused, and the first change is not undone', async (t) => {
	const options = await applianceIn();
	let release!: () => void;
	const gate = new Promise<void>((resolve) => { release = resolve; });
	const first = changeRunningConfig(options, async (running) => {
		await gate; // the first change has read the running configuration and not applied yet
		return { ...running, casServers: ['10.0.0.1'] };
	});
	await t.throwsAsync(changeRunningConfig(options, (running) => ({ ...running, casServers: ['10.0.0.2'] })), { message: /another apply is running/ });
	release();
	t.deepEqual((await first).config.casServers, ['10.0.0.1']);
	t.deepEqual((await loadRunningConfig(options.paths)).casServers, ['10.0.0.1']);
	const second = await changeRunningConfig(options, (running) => ({ ...running, http: { ...running.http, hostName: 'owa.corp.example' } }));
	t.deepEqual(second.config.casServers, ['10.0.0.1'], 'a later change starts from the running configuration, the first change included');
});

test('a certificate whose apply fails after the checks leaves the previous file of that name in place', async (t) => {
	const options = await applianceIn(new FailingController());
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-certs-'));
	const file = certificateFile(options.env, 'corp');
	await mkdir(path.dirname(file), { recursive: true });
	await writeFile(file, 'the previous certificate\n');
	const imported = await importPem('corp', await certificateBundle(dir, 'mail.corp.example'));
	await t.throwsAsync(importCertificate(options, imported), { message: /port 443 is taken/ });
	t.is(await readFile(file, 'utf8'), 'the previous certificate\n');
	t.false((await loadRunningConfig(options.paths)).certificates.some((cert) => cert.name === 'corp'));
});

test('an imported certificate is recorded and kept when its apply succeeds', async (t) => {
	const options = await applianceIn();
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-certs-'));
	const imported = await importPem('corp', await certificateBundle(dir, 'mail.corp.example'));
	const result = await importCertificate(options, imported);
	t.true(result.config.certificates.some((cert) => cert.name === 'corp' && cert.commonName === 'mail.corp.example'));
	t.is(await readFile(certificateFile(options.env, 'corp'), 'utf8'), imported.pem);
});

test('exlb cert import refused by a running apply leaves no certificate file behind (it used to write it first)', async (t) => {
	const root = await makeExlbRoot();
	const paths = appliancePaths(root);
	const bundle = path.join(root, 'bundle.pem');
	await writeFile(bundle, await certificateBundle(root, 'mail.corp.example'));
	await mkdir(path.dirname(applyLockFile(paths)), { recursive: true });
	await writeFile(applyLockFile(paths), String(process.pid)); // a live process holds the lock
	const result = await exlb(root, ['cert', 'import', 'corp', bundle]);
	t.is(result.exitCode, 3, result.stderr);
	t.regex(result.stderr, /another apply is running/);
	t.notRegex(result.stdout, /imported corp/);
	await t.throwsAsync(access(path.join(paths.certDir, 'corp.pem')), { code: 'ENOENT' });
});
