// What every boot test can say of a booted appliance from its status report on ttyS1: this image's version, the
// daemons installed, the console agent running, the system partition read-only and the data partition mounted.
import type { ExecutionContext } from 'ava';
import { version } from '../helpers/image-artifacts.js';
import type { Guest } from '../helpers/qemu.js';

export async function checkApplianceUp(t: ExecutionContext, guest: Guest, timeoutMs: number): Promise<void> {
	const status = await guest.statusReport({ timeoutMs });
	t.is(status.version, version);
	for (const name of ['haproxy', 'stunnel4', 'keepalived', 'nodejs']) {
		t.regex(status[`package.${name}`] ?? 'missing', /^[0-9][^ ]*$/, `${name} is installed`);
	}
	t.is(status['active.exlb-console'], 'active');
	t.regex(status.root ?? '', /^squashfs ro/, 'the system partition is mounted read-only');
	t.regex(status.data ?? '', / ext4$/, 'the data partition is mounted');
	t.regex(status['machine-id'] ?? '', /^[0-9a-f]{32}$/);
}
