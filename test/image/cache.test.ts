import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { cachedStage } from '../../image/pipeline/cache.js';

test.serial('a stage is built once per input hash and reused', async (t) => {
	const root = await mkdtemp(path.join(os.tmpdir(), 'exlb-cache-'));
	process.env.EXLB_CACHE_DIR = root;
	try {
		let builds = 0;
		const build = async (dir: string) => {
			builds += 1;
			await writeFile(path.join(dir, 'out.txt'), 'x');
		};
		const first = await cachedStage('demo', { a: 1 }, build);
		const second = await cachedStage('demo', { a: 1 }, build);
		const third = await cachedStage('demo', { a: 2 }, build);
		t.is(builds, 2);
		t.false(first.cached);
		t.true(second.cached);
		t.is(first.dir, second.dir);
		t.not(first.dir, third.dir);
	} finally {
		delete process.env.EXLB_CACHE_DIR;
		await rm(root, { recursive: true, force: true });
	}
});

test.serial('a stage that fails leaves nothing the next build would trust', async (t) => {
	const root = await mkdtemp(path.join(os.tmpdir(), 'exlb-cache-'));
	process.env.EXLB_CACHE_DIR = root;
	try {
		await t.throwsAsync(
			cachedStage('demo', { a: 1 }, async (dir) => {
				await writeFile(path.join(dir, 'half.txt'), 'half');
				throw new Error('disk full');
			}),
			{ message: 'disk full' },
		);
		t.deepEqual(await readdir(root), []);
		let rebuilt = false;
		await cachedStage('demo', { a: 1 }, async () => {
			rebuilt = true;
		});
		t.true(rebuilt);
	} finally {
		delete process.env.EXLB_CACHE_DIR;
		await rm(root, { recursive: true, force: true });
	}
});

test.serial('a new stage output prunes its older ones to the newest three, dead builds\' temp dirs, nothing else', async (t) => {
	const root = await mkdtemp(path.join(os.tmpdir(), 'exlb-cache-'));
	process.env.EXLB_CACHE_DIR = root;
	try {
		const hours = (n: number) => new Date(Date.now() - n * 3_600_000);
		const leftovers: [string, Date][] = [
			['demo-aaaaaaaaaaaaaaaaaaaa', hours(40)],
			['demo-bbbbbbbbbbbbbbbbbbbb', hours(30)],
			['demo-cccccccccccccccccccc', hours(20)],
			['demo-dddddddddddddddddddd', hours(10)],
			['demo-eeeeeeeeeeeeeeeeeeee.tmp-2147483646', hours(1)], // a build whose process is gone
			[`demo-ffffffffffffffffffff.tmp-${process.pid}`, hours(1)], // a build still running
			['other-aaaaaaaaaaaaaaaaaaaa', hours(50)], // another stage's output
		];
		for (const [name, time] of leftovers) {
			await mkdir(path.join(root, name));
			await utimes(path.join(root, name), time, time);
		}
		const stage = await cachedStage('demo', { a: 3 }, async (dir) => writeFile(path.join(dir, 'out.txt'), 'x'));
		t.deepEqual((await readdir(root)).sort(), [
			path.basename(stage.dir),
			'demo-cccccccccccccccccccc',
			'demo-dddddddddddddddddddd',
			`demo-ffffffffffffffffffff.tmp-${process.pid}`,
			'other-aaaaaaaaaaaaaaaaaaaa',
		].sort());
	} finally {
		delete process.env.EXLB_CACHE_DIR;
		await rm(root, { recursive: true, force: true });
	}
});

test.serial('a cache hit counts as a use: pruning keeps the stages used lately, even one built long ago', async (t) => {
	const root = await mkdtemp(path.join(os.tmpdir(), 'exlb-cache-'));
	process.env.EXLB_CACHE_DIR = root;
	try {
		const build = (dir: string) => writeFile(path.join(dir, 'out.txt'), 'x');
		const old = await cachedStage('demo', { a: 1 }, build);
		const longAgo = new Date(Date.now() - 48 * 3_600_000);
		await utimes(old.dir, longAgo, longAgo);
		for (const a of [2, 3]) await cachedStage('demo', { a }, build);
		t.true((await cachedStage('demo', { a: 1 }, build)).cached, 'used again now');
		await cachedStage('demo', { a: 4 }, build); // keeps three: this one and the two used last
		const kept = await readdir(root);
		t.true(kept.includes(path.basename(old.dir)), 'the stage built long ago and used just now is kept');
		t.is(kept.length, 3);
	} finally {
		delete process.env.EXLB_CACHE_DIR;
		await rm(root, { recursive: true, force: true });
	}
});
