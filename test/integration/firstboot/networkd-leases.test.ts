// The networkd back end reading addresses from a real interface (eth0 in a network namespace, through `ip`): a DHCP
// lease is an address with a lifetime, a permanent address is none. Needs root.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import type { Clock } from '../../../firstboot/clock.js';
import { NetworkdBackend } from '../../../firstboot/networkd-backend.js';
import { namespaceWithEth0 } from '../../helpers/netns.js';

test('a lease is an address with a lifetime (what networkd gives DHCP leases); permanent addresses are not leases', async (t) => {
	const root = await mkdtemp(path.join(tmpdir(), 'exlb-networkd-'));
	const namespace = `exlb-fb-${process.pid}`;
	const removeNamespace = await namespaceWithEth0(namespace, { address: '192.168.0.200/24' });
	t.teardown(async () => {
		await removeNamespace();
		await rm(root, { recursive: true, force: true });
	});
	// `ip` run inside the namespace, through a wrapper (the back end takes one program path).
	const ipWrapper = path.join(root, 'ip');
	await writeFile(ipWrapper, `#!/bin/sh\nexec ip netns exec ${namespace} ip "$@"\n`, { mode: 0o755 });
	// Only reading here: applying settings is the appliance service's (test/unit/appliance/service.test.ts).
	const backend = new NetworkdBackend(async () => {}, fakeClock(), ipWrapper);
	t.deepEqual(await backend.addresses(), ['192.168.0.200/24']);
	t.is(await backend.waitForLease(1500), null, 'a permanent address is no lease');
	await execa('ip', ['-n', namespace, 'address', 'add', '10.0.2.15/24', 'dev', 'eth0', 'valid_lft', '86400', 'preferred_lft', '86400']);
	t.is(await backend.waitForLease(1500), '10.0.2.15/24');
	t.deepEqual((await backend.addresses()).sort(), ['10.0.2.15/24', '192.168.0.200/24']);
});

/** Timers fire at once: the bounded wait polls its few times without real waiting. */
function fakeClock(): Clock {
	return { setTimer: (_ms, callback) => (setImmediate(callback), () => {}) };
}
