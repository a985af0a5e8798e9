// The real networkd back end up to the point where systemd is needed (no systemd on the build host): files written
// where networkd reads them, stale files of a previous configuration removed, failures naming the step. Reading
// addresses and leases from a real interface is in test/integration/firstboot/networkd-leases.test.ts.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
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
