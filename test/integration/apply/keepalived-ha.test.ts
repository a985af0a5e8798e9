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
import { namespaceWithEth0 } from '../../helpers/netns.js';

const netns = `exlb-ha-${process.pid}`;
const root = await mkdtemp(path.join(tmpdir(), 'exlb-ha-'));
const paths = appliancePaths(root);
const env = localRenderEnv(path.join(root, 'run/exlb'), { certDir: paths.certDir, interface: 'eth0', bindAddress: '' });
const controller = new ProcessController({ renderDir: paths.renderDir, env, netns });

let removeNamespace = async (): Promise<void> => {};

test.before(async () => {
	removeNamespace = await namespaceWithEth0(netns, { address: '192.168.0.200/24' });
});

test.after.always(async () => {
	await controller.stopAll();
	await removeNamespace();
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
	config.ha = { ...config.ha, role: 'master', vip: '192.168.0.201', clusterId: 42 };
	const result = await apply(config, { paths, env, controller, checkNetns: netns });
	t.deepEqual(result.started, ['haproxy', 'keepalived']);
	await waitFor('the VIP on eth0', 60_000, async () => hasVip());
	t.true(await hasVip(), 'the master holds 192.168.0.201 on eth0');
	t.regex(controller.output('keepalived'), /Entering MASTER STATE/);
	await controller.stop('haproxy');
	await waitFor('the VIP to leave once haproxy is gone', 60_000, async () => !(await hasVip()));
	t.false(await hasVip(), 'the VIP left with haproxy');
	t.regex(controller.output('keepalived'), /FAULT/);
	await controller.start('haproxy');
	await waitFor('the VIP back with haproxy', 60_000, async () => hasVip());
	t.true(await hasVip(), 'the master holds 192.168.0.201 again once haproxy is back');
});
