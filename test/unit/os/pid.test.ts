import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { claimPidFile, pidFileOwner, processAlive, releasePidFile } from '../../../services/os/pid.js';

/** A pid that no process has: a child that has already exited and been reaped. */
function deadPid(): number {
	return spawnSync(process.execPath, ['-e', '']).pid!;
}

test('processAlive: this process and pid 1 are alive (EPERM counts as alive), an exited child and nonsense are not', (t) => {
	t.true(processAlive(process.pid));
	t.true(processAlive(1)); // as non-root, kill(1, 0) fails with EPERM: the process exists
	t.false(processAlive(deadPid()));
	t.false(processAlive(0));
	t.false(processAlive(-1));
	t.false(processAlive(Number.NaN));
});

test.serial('processAlive: EPERM (another user\'s process) is alive, ESRCH is not', (t) => {
	const realKill = process.kill;
	t.teardown(() => { process.kill = realKill; });
	const failWith = (code: string) => {
		process.kill = (() => { throw Object.assign(new Error(code), { code }); }) as typeof process.kill;
	};
	failWith('EPERM');
	t.true(processAlive(4242));
	failWith('ESRCH');
	t.false(processAlive(4242));
});

async function scratch(t: { teardown: (fn: () => Promise<void>) => void }): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-pid-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	return dir;
}

test('claimPidFile writes our pid; a second claim names the live owner; release removes the file', async (t) => {
	const file = path.join(await scratch(t), 'lock');
	t.deepEqual(await claimPidFile(file), { claimed: true });
	t.is(await readFile(file, 'utf8'), String(process.pid));
	t.is(await pidFileOwner(file), process.pid);
	t.deepEqual(await claimPidFile(file), { claimed: false, owner: process.pid });
	await releasePidFile(file);
	t.is(await pidFileOwner(file), null);
});

test('a pid file of a dead process, or one holding no pid, is taken over', async (t) => {
	const dir = await scratch(t);
	const dead = path.join(dir, 'dead');
	await writeFile(dead, String(deadPid()));
	t.deepEqual(await claimPidFile(dead), { claimed: true });
	t.is(await pidFileOwner(dead), process.pid);
	const garbage = path.join(dir, 'garbage');
	await writeFile(garbage, 'not a pid');
	t.is(await pidFileOwner(garbage), null);
	t.deepEqual(await claimPidFile(garbage), { claimed: true });
});

test('errors other than "exists" are thrown (a missing directory is not a held lock)', async (t) => {
	const file = path.join(await scratch(t), 'missing-dir', 'lock');
	const error = await t.throwsAsync(claimPidFile(file));
	t.is((error as NodeJS.ErrnoException).code, 'ENOENT');
	t.deepEqual(await readdir(path.dirname(path.dirname(file))), []);
});
