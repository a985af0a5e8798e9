// The networkd files apply() writes: only what changed (so networkd is reloaded only then), stale exlb files removed.
import test from 'ava';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeNetworkdFiles } from '../../../services/apply/network.js';

async function networkdDir(t: import('ava').ExecutionContext): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-networkd-files-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	return dir;
}

test('new files are written and reported as a change; the same files again are not', async (t) => {
	const dir = await networkdDir(t);
	const files = { '10-exlb.network': '[Match]\nName=eth0\n', '20-exlb-vlan7.netdev': '[NetDev]\nName=vlan7\n' };
	t.true(await writeNetworkdFiles(dir, files));
	t.is(await readFile(path.join(dir, '10-exlb.network'), 'utf8'), files['10-exlb.network']);
	t.is((await stat(path.join(dir, '10-exlb.network'))).mode & 0o777, 0o644, 'readable by systemd-networkd');
	t.false(await writeNetworkdFiles(dir, files), 'nothing changed: no networkd reload');
});

test('a file of ours no longer rendered is removed (a change); files of others are left alone', async (t) => {
	const dir = await networkdDir(t);
	await writeFile(path.join(dir, '20-exlb-vlan7.netdev'), '[NetDev]\n');
	await writeFile(path.join(dir, '99-other.network'), '[Match]\n');
	t.true(await writeNetworkdFiles(dir, { '10-exlb.network': '[Match]\n' }));
	t.deepEqual((await readdir(dir)).sort(), ['10-exlb.network', '99-other.network']);
});

test('a changed text is rewritten and reported as a change', async (t) => {
	const dir = await networkdDir(t);
	await writeFile(path.join(dir, '10-exlb.network'), 'old\n');
	t.true(await writeNetworkdFiles(dir, { '10-exlb.network': 'new\n' }));
	t.is(await readFile(path.join(dir, '10-exlb.network'), 'utf8'), 'new\n');
});
