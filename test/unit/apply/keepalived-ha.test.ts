// HA with the real keepalived in a network namespace: the master takes the VIP, and gives it away when its
// haproxy is gone (the vrrp_script on haproxy's pid file), then takes it back when haproxy returns.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { appliancePaths } from '../../../services/paths.js';
import { defaultConfig } from '../../../services/config/schema.js';
import { localRenderEnv } from '../../../services/render/env.js';
import { apply, ProcessController } from '../../../services/apply/index.js';
import { waitFor } from '../../../services/apply/wait.js';

const netns = `exlb-ha-${process.pid}`;
const root = await mkdtemp(path.join(tmpdir(), 'exlb-ha-'));
const paths = appliancePaths(root);
const env = localRenderEnv(path.join(root, 'run/exlb'), { certDir: paths.certDir, interface: 'eth0', bindAddress: '' });
const controller = new ProcessController({ renderDir: paths.renderDir, env, netns });

test.before(async () => {
	await execa('ip', ['netns', 'add', netns]);
	await execa('ip', ['-n', netns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'peer0']);
	for (const link of ['lo', 'eth0', 'peer0']) await execa('ip', ['-n', netns, 'link', 'set', link, 'up']);
	await execa('ip', ['-n', netns, 'addr', 'add', '192.168.0.200/24', 'dev', 'eth0']);
});

test.after.always(async () => {
	await controller.stopAll();
	await execa('ip', ['netns', 'del', netns], { reject: false });
	await rm(root, { recursive: true, force: true });
});

async function hasVip(): Promise<boolean> {
	const { stdout } = await execa('ip', ['-n', netns, '-4', 'addr', 'show', 'dev', 'eth0']);
	return stdout.includes('inet 192.168.0.201/24');
}

test.serial('master takes the VIP, loses it without haproxy, takes it back', async (t) => {
	const config = defaultConfig();
	config.network.source = 'static';
	config.casServers = ['192.168.0.11'];
	config.ha = { role: 'master', vip: '192.168.0.201', clusterId: 42 };
	const result = await apply(config, { paths, env, controller, checkNetns: netns });
	t.deepEqual(result.started, ['haproxy', 'keepalived']);
	await waitFor('the VIP on eth0', 60_000, async () => hasVip());
	t.pass('the master holds 192.168.0.201');
	await controller.stop('haproxy');
	await waitFor('the VIP to leave once haproxy is gone', 60_000, async () => !(await hasVip()));
	t.regex(controller.output('keepalived'), /FAULT/);
	await controller.start('haproxy');
	await waitFor('the VIP back with haproxy', 60_000, async () => hasVip());
	t.pass('VIP back');
});
