// The image's haproxy accepts the timeouts, resilience defaults and log targets, without a warning: the local
// log target as the appliance renders it (errors only, and every line), the remote one over UDP and TCP, in each HTTP mode.
import test from 'ava';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultConfig, type Config } from '../../services/config/schema.js';
import { validateConfig, formatIssue } from '../../services/config/validate.js';
import { renderAll, localRenderEnv } from '../../services/render/index.js';
import { tryCommand } from '../../services/os/exec.js';

const dir = await mkdtemp(path.join(tmpdir(), 'exlb-render-logs-'));
const env = { ...localRenderEnv(dir, { interface: 'eth0', bindAddress: '' }), logTarget: '/dev/log' };

test.after.always(async () => {
	await rm(dir, { recursive: true, force: true });
});

const variants: Record<string, (config: Config) => void> = {
	'ssl-offload 2010, syslog over UDP': (config) => { config.http.mode = 'ssl-offload'; config.syslog.server = '10.10.0.50'; },
	'ssl-offload 2013+, syslog over TCP': (config) => { config.http.mode = 'ssl-offload'; config.exchangeVersion = '2013+'; config.rpc.mode = 'disabled'; Object.assign(config.syslog, { server: '10.10.0.50', protocol: 'tcp', port: 6514, journal: 'all' }); },
	'ssl-forward with mail, syslog host name resolved': (config) => { config.imap.mode = 'clear-and-ssl-offload'; config.smtp.mode = 'clear'; config.syslog.server = 'logs.example.com'; },
	'ssl-forward, syslog host name unresolved': (config) => { config.syslog.server = 'logs.example.com'; },
};

for (const [name, mutate] of Object.entries(variants)) {
	test(`haproxy -c accepts ${name} without a warning`, async (t) => {
		const config = defaultConfig();
		config.casServers = ['10.10.0.11', '10.10.0.12'];
		config.hubServers = ['10.10.0.21'];
		mutate(config);
		const result = validateConfig(config);
		if (!result.ok) return t.fail(result.errors.map(formatIssue).join('\n'));
		const resolved = name.includes('unresolved') ? null : '10.10.0.51';
		const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.cfg`);
		await writeFile(file, renderAll(result.config, env, { syslogAddress: resolved })['haproxy.cfg']);
		const check = await tryCommand('haproxy', ['-c', '-f', file], { timeoutMs: 30_000 });
		t.is(check.exitCode, 0, check.output);
		t.notRegex(check.output, /WARNING|ALERT/, check.output);
	});
}
