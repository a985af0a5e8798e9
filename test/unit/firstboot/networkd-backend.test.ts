// The real networkd back end up to the point where systemd is needed (no systemd on the build host): files written
// where networkd reads them, stale files of a previous configuration removed, failures naming the step.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { defaultConfig } from '../../../services/config/schema.js';
import { appliancePaths } from '../../../services/paths.js';
import { systemClock, type Clock } from '../../../firstboot/clock.js';
import { NetworkApplyError } from '../../../firstboot/network-backend.js';
import { NetworkdBackend } from '../../../firstboot/networkd-backend.js';

/** No systemd on the build host: a networkctl that does not exist fails the step after the files, as it would. */
const withoutSystemd = (root: string) => ({ networkctl: path.join(root, 'no-networkctl'), ip: 'ip' });

test('apply writes the rendered static files, removes stale exlb files, keeps others, then fails naming networkctl', async (t) => {
	const root = await mkdtemp(path.join(tmpdir(), 'exlb-networkd-'));
	t.teardown(() => rm(root, { recursive: true, force: true }));
	const paths = appliancePaths(root);
	await mkdir(paths.networkdDir, { recursive: true });
	await writeFile(path.join(paths.networkdDir, '20-exlb-vlan7.netdev'), '[NetDev]\n');
	await writeFile(path.join(paths.networkdDir, '99-other.network'), '[Match]\n');
	const backend = new NetworkdBackend(paths, systemClock, withoutSystemd(root));
	const network = { ...defaultConfig().network, source: 'static' as const, address: '10.0.2.50', netmask: '255.255.255.0', gateway: '10.0.2.2' };
	const error = await t.throwsAsync(backend.apply(network), { instanceOf: NetworkApplyError });
	t.is(error?.step, 'networkctl reload');
	t.regex(error?.message ?? '', /^networkctl reload: .*no-networkctl reload failed/);
	t.deepEqual((await readdir(paths.networkdDir)).sort(), ['10-exlb.network', '99-other.network']);
	const file = await readFile(path.join(paths.networkdDir, '10-exlb.network'), 'utf8');
	t.regex(file, /^Address=10\.0\.2\.50\/24$/m);
	t.regex(file, /^Gateway=10\.0\.2\.2$/m);
});

test('DHCP is rendered with lease renewal left to networkd (no static address, DHCP=ipv4)', async (t) => {
	const root = await mkdtemp(path.join(tmpdir(), 'exlb-networkd-'));
	t.teardown(() => rm(root, { recursive: true, force: true }));
	const paths = appliancePaths(root);
	const backend = new NetworkdBackend(paths, systemClock, withoutSystemd(root));
	await t.throwsAsync(backend.apply({ ...defaultConfig().network, source: 'dhcp' }), { instanceOf: NetworkApplyError });
	const file = await readFile(path.join(paths.networkdDir, '10-exlb.network'), 'utf8');
	t.regex(file, /^DHCP=ipv4$/m);
	t.notRegex(file, /^Address=/m);
	// Nothing that would stop networkd from renewing the lease.
	t.notRegex(file, /CriticalConnection|KeepConfiguration=(yes|dhcp)|RequestBroadcast/);
});

test('a lease is an address with a lifetime (what networkd gives DHCP leases); permanent addresses are not leases', async (t) => {
	const root = await mkdtemp(path.join(tmpdir(), 'exlb-networkd-'));
	const namespace = `exlb-fb-${process.pid}`;
	await execa('ip', ['netns', 'add', namespace]);
	t.teardown(async () => {
		await execa('ip', ['netns', 'delete', namespace], { reject: false });
		await rm(root, { recursive: true, force: true });
	});
	const inNamespace = async (...args: string[]) => execa('ip', ['netns', 'exec', namespace, 'ip', ...args]);
	await inNamespace('link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1');
	await inNamespace('link', 'set', 'eth1', 'up');
	await inNamespace('link', 'set', 'eth0', 'up');
	await inNamespace('address', 'add', '192.168.0.200/24', 'dev', 'eth0');
	// `ip` run inside the namespace, through a wrapper (the back end takes one program path).
	const ipWrapper = path.join(root, 'ip');
	await writeFile(ipWrapper, `#!/bin/sh\nexec ip netns exec ${namespace} ip "$@"\n`, { mode: 0o755 });
	const backend = new NetworkdBackend(appliancePaths(root), fakeClock(), { networkctl: 'networkctl', ip: ipWrapper });
	t.deepEqual(await backend.addresses(), ['192.168.0.200/24']);
	t.is(await backend.waitForLease(1500), null, 'a permanent address is no lease');
	await inNamespace('address', 'add', '10.0.2.15/24', 'dev', 'eth0', 'valid_lft', '86400', 'preferred_lft', '86400');
	t.is(await backend.waitForLease(1500), '10.0.2.15/24');
	t.deepEqual((await backend.addresses()).sort(), ['10.0.2.15/24', '192.168.0.200/24']);
});

/** Timers fire at once: the bounded wait polls its few times without real waiting. */
function fakeClock(): Clock {
	return { setTimer: (_ms, callback) => (setImmediate(callback), () => {}) };
}
