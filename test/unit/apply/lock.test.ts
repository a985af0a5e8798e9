import test from 'ava';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withLock } from '../../../services/apply/lock.js';
import { ApplyError } from '../../../services/apply/errors.js';

test('one apply at a time: a live lock refuses, a dead owner\'s lock is taken over', async (t) => {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-lock-'));
	const lock = path.join(dir, 'rendered.lock');
	await withLock(lock, async () => {
		await t.throwsAsync(withLock(lock, async () => 1), { instanceOf: ApplyError, message: /another apply is running \(pid \d+/ });
	});
	await writeFile(lock, '2147483646'); // no such process
	t.is(await withLock(lock, async () => 'ran'), 'ran');
	t.deepEqual(await readdir(dir), []);
});
