// The exlb CLI run as a real subprocess through bin/exlb.js, each test in its own EXLB_ROOT, with no daemons run
// (`exlb run`, which starts them, is in test/integration/cli/exlb-run.test.ts).
import test from 'ava';
import { mkdir, readFile, writeFile, access, readlink } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { appliancePaths } from '../../../services/paths.js';
import { defaultConfig } from '../../../services/config/schema.js';
import { exlb, makeExlbRoot } from '../../helpers/exlb-cli.js';

test('validate: the running (factory) configuration; a bad file names the field; a missing file is a usage error', async (t) => {
	const dir = await makeExlbRoot();
	const ok = await exlb(dir, ['validate']);
	t.is(ok.exitCode, 0);
	t.regex(ok.stdout, /the running configuration is valid/);
	t.regex(ok.stderr, /^warning: casServers: no CAS server yet/m);
	const bad = path.join(dir, 'bad.json');
	await writeFile(bad, JSON.stringify({ http: { casHttpPort: 70000 }, colour: 1 }));
	const refused = await exlb(dir, ['validate', '--config', bad]);
	t.is(refused.exitCode, 1);
	t.regex(refused.stderr, /http\.casHttpPort: 70000 is not a port/);
	t.regex(refused.stderr, /colour: unknown key/);
	t.is((await exlb(dir, ['validate', '--config', path.join(dir, 'none.json')])).exitCode, 2);
});

test('render --config FILE --out DIR writes the daemon and networkd files', async (t) => {
	const dir = await makeExlbRoot();
	const file = path.join(dir, 'c.json');
	const config = defaultConfig();
	config.casServers = ['10.0.0.1'];
	config.ha = { ...config.ha, role: 'master', vip: '192.168.0.201', clusterId: 9 };
	await writeFile(file, JSON.stringify(config));
	const result = await exlb(dir, ['render', '--config', file, '--out', path.join(dir, 'out')]);
	t.is(result.exitCode, 0, result.stderr);
	t.regex(await readFile(path.join(dir, 'out/haproxy.cfg'), 'utf8'), /backend be_https/);
	t.regex(await readFile(path.join(dir, 'out/keepalived.conf'), 'utf8'), /virtual_router_id 9/);
	await access(path.join(dir, 'out/networkd/10-exlb.network'));
	await t.throwsAsync(access(path.join(dir, 'out/stunnel-https.conf')), undefined, 'nothing offloaded: no stunnel file');
	t.is((await exlb(dir, ['render', '--config', file])).exitCode, 2, '--out is required');
});

test('set applies at once, show reads it back, diff/save follow the original appliance', async (t) => {
	const dir = await makeExlbRoot();
	const set = await exlb(dir, ['set', 'casServers', '["10.0.0.1","10.0.0.2"]']);
	t.is(set.exitCode, 0, set.stderr);
	t.is((await exlb(dir, ['set', 'http.casHttpPort', '8080'])).exitCode, 0);
	t.is((await exlb(dir, ['set', 'network.routes[0]', '{"network":"10.9.0.0","netmask":"255.255.0.0","router":"192.168.0.1"}'])).exitCode, 0);
	t.is((await exlb(dir, ['show', 'http.casHttpPort'])).stdout, '8080');
	t.is((await exlb(dir, ['show', 'casServers[1]'])).stdout, '"10.0.0.2"');
	t.regex(await readFile(path.join(appliancePaths(dir).renderDir, 'haproxy.cfg'), 'utf8'), /server cas2 10\.0\.0\.2:443/);
	const diff = await exlb(dir, ['diff']);
	t.regex(diff.stdout, /^http\.casHttpPort: 80 \(saved\) → 8080 \(running\)$/m);
	t.regex(diff.stdout, /^casServers: \[\] \(saved\) → \["10\.0\.0\.1","10\.0\.0\.2"\] \(running\)$/m);
	t.is((await exlb(dir, ['save'])).exitCode, 0);
	t.regex((await exlb(dir, ['diff'])).stdout, /no difference between the running and the saved configuration/);
	t.is(JSON.parse(await readFile(appliancePaths(dir).savedConfig, 'utf8')).http.casHttpPort, 8080);
});

test('set refuses bad values, unknown paths and injection attempts, and changes nothing', async (t) => {
	const dir = await makeExlbRoot();
	const port = await exlb(dir, ['set', 'http.casHttpPort', '70000']);
	t.is(port.exitCode, 1);
	t.is(port.stderr, 'exlb: invalid configuration:\n  http.casHttpPort: 70000 is not a port (1-65535)');
	const unknown = await exlb(dir, ['set', 'http.casPort', '80']);
	t.is(unknown.exitCode, 1);
	t.regex(unknown.stderr, /http: no field "casPort" here \(expected mode, hostName/);
	const injected = await exlb(dir, ['set', 'http.hostName', 'mail.example.com\n    bind :1']);
	t.is(injected.exitCode, 1);
	t.regex(injected.stderr, /http\.hostName: "mail\.example\.com\\n    bind :1" is not a fully qualified domain name/);
	t.is((await exlb(dir, ['set', 'http.hostName'])).exitCode, 2);
	await t.throwsAsync(access(appliancePaths(dir).runningConfig), undefined, 'nothing was written');
});

test('set --config FILE edits the file only', async (t) => {
	const dir = await makeExlbRoot();
	const file = path.join(dir, 'c.json');
	await writeFile(file, JSON.stringify(defaultConfig()));
	const result = await exlb(dir, ['set', '--config', file, 'ha.clusterId', '200']);
	t.is(result.exitCode, 0, result.stderr);
	t.is(JSON.parse(await readFile(file, 'utf8')).ha.clusterId, 200);
	await t.throwsAsync(access(appliancePaths(dir).runningConfig));
});

test('export to stdout and to a file; import applies a (partial) file as running', async (t) => {
	const dir = await makeExlbRoot();
	const exported = await exlb(dir, ['export']);
	t.is(exported.exitCode, 0);
	t.deepEqual(JSON.parse(exported.stdout), defaultConfig());
	const file = path.join(dir, 'partial.json');
	await writeFile(file, JSON.stringify({ casServers: ['10.1.1.1'], exchangeVersion: '2013+', rpc: { mode: 'disabled' } }));
	const imported = await exlb(dir, ['import', file]);
	t.is(imported.exitCode, 0, imported.stderr);
	const out = path.join(dir, 'export.json');
	t.is((await exlb(dir, ['export', '--out', out])).exitCode, 0);
	const running = JSON.parse(await readFile(out, 'utf8'));
	t.deepEqual(running.casServers, ['10.1.1.1']);
	t.is(running.exchangeVersion, '2013+');
	await writeFile(file, '{"casServers": ["10.1.1.1", "10.1.1.1"]}');
	const refused = await exlb(dir, ['import', file]);
	t.is(refused.exitCode, 1);
	t.regex(refused.stderr, /casServers\[1\]: 10\.1\.1\.1 is listed twice/);
});

test('apply --config FILE makes it the running configuration; the render dir is swapped', async (t) => {
	const dir = await makeExlbRoot();
	const file = path.join(dir, 'c.json');
	const config = defaultConfig();
	config.casServers = ['10.0.0.7'];
	config.http.mode = 'ssl-offload';
	await writeFile(file, JSON.stringify(config));
	const result = await exlb(dir, ['apply', '--config', file]);
	t.is(result.exitCode, 0, result.stderr);
	const paths = appliancePaths(dir);
	t.regex(await readlink(paths.renderDir), /^rendered\./);
	t.regex(await readFile(path.join(paths.renderDir, 'stunnel-https.conf'), 'utf8'), /cert = .*\/data\/certs\/self-signed\.pem/);
	await access(path.join(paths.certDir, 'self-signed.pem'));
	t.deepEqual(JSON.parse(await readFile(paths.runningConfig, 'utf8')), config);
});

test('cert import of a .pem, then used for offload', async (t) => {
	const dir = await makeExlbRoot();
	const key = path.join(dir, 'k.pem');
	const cert = path.join(dir, 'c.pem');
	await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=mail.corp.example']);
	const bundle = path.join(dir, 'bundle.pem');
	await writeFile(bundle, (await readFile(key, 'utf8')) + (await readFile(cert, 'utf8')));
	const imported = await exlb(dir, ['cert', 'import', 'corp', bundle]);
	t.is(imported.exitCode, 0, imported.stderr);
	t.regex(imported.stdout, /imported corp: CN=mail\.corp\.example/);
	t.regex((await exlb(dir, ['cert', 'list'])).stdout, /^corp\tCN=mail\.corp\.example\t/m);
	t.is((await exlb(dir, ['set', 'http.mode', 'ssl-offload'])).exitCode, 0);
	t.regex((await exlb(dir, ['cert', 'list'])).stdout, /^self-signed\tCN=mail\.example\.com\t.*\tself-signed\t/m, 'generated for http.hostName by the apply');
	const use = await exlb(dir, ['set', 'http.certificate', 'corp']);
	t.is(use.exitCode, 0, use.stderr);
	t.regex(await readFile(path.join(appliancePaths(dir).renderDir, 'stunnel-https.conf'), 'utf8'), /cert = .*\/data\/certs\/corp\.pem/);
	const mismatch = path.join(dir, 'mismatch.pem');
	await writeFile(mismatch, (await readFile(key, 'utf8')).replace(/[A-Za-z]/, 'x') + (await readFile(cert, 'utf8')));
	t.is((await exlb(dir, ['cert', 'import', 'bad', mismatch])).exitCode, 1);
});

test('usage errors exit 2: unknown command, unknown option, bad controller', async (t) => {
	const dir = await makeExlbRoot();
	t.is((await exlb(dir, ['frobnicate'])).exitCode, 2);
	t.is((await exlb(dir, ['validate', '--bogus'])).exitCode, 2);
	t.is((await exlb(dir, ['save', '--config', 'x'])).exitCode, 2);
	const controller = await exlb(dir, ['apply'], { EXLB_CONTROLLER: 'docker' });
	t.is(controller.exitCode, 2);
	t.regex(controller.stderr, /--controller "docker" is not one of systemd, process, none/);
	t.is((await exlb(dir, ['--help'])).exitCode, 0);
});

test('apply on the appliance path: systemd units and networkd (recording systemctl/networkctl stand in: no systemd here)', async (t) => {
	const dir = await makeExlbRoot();
	const bin = path.join(dir, 'bin');
	const calls = path.join(dir, 'calls.log');
	await mkdir(bin);
	for (const tool of ['systemctl', 'networkctl']) {
		// haproxy is "active", nothing else is; every other verb succeeds.
		await writeFile(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> '${calls}'\n[ "$1" = is-active ] && [ "$3" != haproxy.service ] && exit 3\nexit 0\n`, { mode: 0o755 });
	}
	const result = await exlb(dir, ['set', 'http.mode', 'ssl-offload'], { EXLB_CONTROLLER: 'systemd', PATH: `${bin}:${process.env.PATH}` });
	t.is(result.exitCode, 0, result.stderr);
	t.regex(result.stdout, /^applied: started stunnel-https; reloaded haproxy; network reconfigured$/m);
	const log = (await readFile(calls, 'utf8')).trim().split('\n');
	t.true(log.includes('systemctl reload haproxy.service'));
	t.true(log.includes('systemctl start stunnel@exlb-https.service'));
	t.true(log.includes('networkctl reload'));
	const paths = appliancePaths(dir);
	await access(path.join(paths.networkdDir, '10-exlb.network'));
	t.regex(await readFile(path.join(path.dirname(paths.renderDir), 'stunnel-https.conf'), 'utf8'), /^\[https\]$/m, 'the stable copy stunnel@exlb-https reads');
});
