import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { wantedPackages } from '../../scripts/host-deps.js';

test('package lists are merged, de-duplicated and stripped of comments', async (t) => {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-pkgs-'));
	await writeFile(path.join(dir, 'a.txt'), '# comment\nhaproxy\ncurl # trailing\n\n');
	await writeFile(path.join(dir, 'b.txt'), 'curl\nqemu-utils\n');
	t.deepEqual(await wantedPackages(dir), ['haproxy', 'curl', 'qemu-utils']);
});

test('a malformed package name is reported with its file and value', async (t) => {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-pkgs-'));
	await writeFile(path.join(dir, 'bad.txt'), 'haproxy; rm -rf /\n');
	await t.throwsAsync(wantedPackages(dir), { message: 'bad.txt: "haproxy; rm -rf /" is not a Debian package name' });
});

test('the shipped package lists parse, and name no daemon the image ships (tests run the image\'s own)', async (t) => {
	const names = await wantedPackages();
	t.true(names.includes('nginx-light'));
	t.true(names.includes('qemu-system-x86'));
	for (const shipped of ['haproxy', 'stunnel4', 'keepalived']) t.false(names.includes(shipped), `${shipped} is in scripts/host-packages`);
});
