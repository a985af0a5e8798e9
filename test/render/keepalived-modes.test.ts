// Every failover mode of keepalived.conf (role × preemption × multicast/unicast × advertisement interval × VLAN or
// not) checked by the image's keepalived (`keepalived -t`), which must accept each file without a word: keepalived
// accepts some settings it then ignores or changes and only says so (a VRRPv2 interval "rounded", preempt_delay
// "incompatible with nopreempt"), so silence is the test, not only the exit status.
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { defaultConfig, haPreemptModes, type Config } from '../../services/config/schema.js';
import { validateConfig, formatIssue } from '../../services/config/validate.js';
import { localRenderEnv, renderAll } from '../../services/render/index.js';
import { namespaceWithEth0 } from '../helpers/netns.js';

const dir = await mkdtemp(path.join(tmpdir(), 'exlb-render-keepalived-'));
const env = localRenderEnv(dir, { interface: 'eth0', bindAddress: '' });
const netns = `exlb-rka-${process.pid}`;
let removeNamespace: () => Promise<void> = async () => {};

test.before(async () => {
	removeNamespace = await namespaceWithEth0(netns, { address: '192.168.0.200/24' });
});

test.after.always(async () => {
	await removeNamespace();
	await rm(dir, { recursive: true, force: true });
});

function* modes(): Generator<{ name: string; config: Config }> {
	for (const role of ['master', 'backup'] as const) for (const preempt of haPreemptModes) for (const unicast of [false, true]) {
		for (const advertIntervalMs of [50, 250, 1000, 10_000]) for (const source of ['static', 'dhcp'] as const) {
			const config = defaultConfig();
			config.network.source = source;
			config.casServers = ['192.168.0.11'];
			config.ha = { ...config.ha, role, preempt, advertIntervalMs, vip: '192.168.0.201', unicastPeer: unicast ? '192.168.0.9' : '' };
			yield { name: `${role} preempt ${preempt} ${unicast ? 'unicast' : 'multicast'} ${advertIntervalMs} ms ${source}`, config };
		}
	}
}

test('keepalived -t accepts every failover mode without a complaint', async (t) => {
	let checked = 0;
	for (const { name, config } of modes()) {
		const result = validateConfig(config);
		if (!result.ok) return t.fail(`${name}: ${result.errors.map(formatIssue).join('; ')}`);
		const file = path.join(dir, 'keepalived.conf');
		await writeFile(file, renderAll(result.config, env)['keepalived.conf']!);
		const check = await execa('ip', ['netns', 'exec', netns, 'keepalived', '-t', '-f', file, '--log-console', '--dont-fork'], { reject: false, all: true });
		t.is(check.exitCode, 0, `${name}: ${check.all}`);
		t.is(String(check.all).trim(), '', `${name}: keepalived said something about the file`);
		checked++;
	}
	t.is(checked, 2 * 2 * 2 * 4 * 2);
});
