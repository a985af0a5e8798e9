import test from 'ava';
import { mkdtemp, mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic, AtomicWriteError } from '../../../services/fs/atomic-write.js';

test('writes the content with the requested mode and leaves no temp file', async (t) => {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-aw-'));
	const file = path.join(dir, 'sub', 'config.json');
	await writeFileAtomic(file, '{"a":1}\n', { mode: 0o600 });
	t.is(await readFile(file, 'utf8'), '{"a":1}\n');
	t.is((await stat(file)).mode & 0o777, 0o600);
	t.deepEqual(await readdir(path.dirname(file)), ['config.json']);
});

test('a failed rename leaves what was there and no temp file, and names the file', async (t) => {
	// The target is a non-empty directory, so the final rename fails (for root too).
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-aw-'));
	const target = path.join(dir, 'taken');
	await mkdir(path.join(target, 'inner'), { recursive: true });
	const error = await t.throwsAsync(writeFileAtomic(target, 'new'), { instanceOf: AtomicWriteError });
	t.true(error!.message.startsWith(`could not write ${target}:`));
	t.truthy(error!.cause);
	t.deepEqual(await readdir(dir), ['taken']);
	t.deepEqual(await readdir(target), ['inner']);
});
