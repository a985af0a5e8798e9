// make bench: image build and boot figures, printed and written to out/bench.json.
//   cold build      full build into an empty cache (EXLB_CACHE_DIR pointed at a fresh temp dir)
//   code-only       rebuild after a change to the agents' bytes only (EXLB_BUILD_SALT), same cache
//   reproducible    a second cold build with the same SOURCE_DATE_EPOCH: are the system partition bytes equal?
//   sizes           every artifact in out/
//   boot            QEMU start → appliance console, and → web banner (median of 3, TCG, SeaBIOS + virtio)
// --quick skips the two cold builds (uses the normal cache) for a fast look at sizes and boot times.
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildImage, type BuildResult } from '../image/pipeline/build.js';
import { sha256File } from '../image/pipeline/cache.js';
import { artifacts, outDir } from '../test/helpers/image-artifacts.js';
import { bootGuest } from '../test/helpers/qemu.js';

const quick = process.argv.includes('--quick');
const consoleUp = /Retrieve IP using DHCP|Access WEB User Interface|exlb [0-9.]+ console/;
const webBanner = /https:\/\/[0-9.]+:4444\//;

async function withCache<T>(cacheDir: string | undefined, body: () => Promise<T>): Promise<T> {
	const saved = process.env.EXLB_CACHE_DIR;
	if (cacheDir) process.env.EXLB_CACHE_DIR = cacheDir;
	try {
		return await body();
	} finally {
		if (saved === undefined) delete process.env.EXLB_CACHE_DIR;
		else process.env.EXLB_CACHE_DIR = saved;
	}
}

const systemImage = (result: BuildResult) => path.join(result.stages.system!.dir, 'system.squashfs');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (seconds: number) => Math.round(seconds * 10) / 10;

async function bootTimes(): Promise<{ consoleSeconds: number[]; bannerSeconds: number[] }> {
	const consoleSeconds: number[] = [];
	const bannerSeconds: number[] = [];
	for (let run = 0; run < 3; run += 1) {
		const started = performance.now();
		const guest = await bootGuest({ disk: artifacts.qcow2, name: `bench-boot-${run}`, firmware: 'bios', controller: 'virtio-blk' });
		try {
			await guest.waitFor(consoleUp, { timeoutMs: 300_000, fromStart: true });
			consoleSeconds.push(round((performance.now() - started) / 1000));
			await guest.waitFor(webBanner, { timeoutMs: 300_000, fromStart: true });
			bannerSeconds.push(round((performance.now() - started) / 1000));
		} finally {
			await guest.stop();
		}
	}
	return { consoleSeconds, bannerSeconds };
}

/** Writes what is measured so far, so an interrupted run still leaves its figures. */
async function save(report: Record<string, unknown>): Promise<void> {
	await mkdir(outDir, { recursive: true });
	await writeFile(path.join(outDir, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
}

async function main(): Promise<void> {
	const scratch = await mkdtemp(path.join(os.tmpdir(), 'exlb-bench-'));
	const report: Record<string, unknown> = { date: new Date().toISOString(), cpus: os.cpus().length, quick };
	try {
		let reference: BuildResult;
		if (quick) {
			reference = await buildImage();
		} else {
			const coldCache = path.join(scratch, 'cache-a');
			const cold = await withCache(coldCache, () => buildImage({ outDir: path.join(scratch, 'out-a') }));
			report.coldBuildSeconds = round(cold.seconds);
			await save(report);
			process.env.EXLB_BUILD_SALT = `bench-${Date.now()}`;
			const codeOnly = await withCache(coldCache, () => buildImage({ outDir: path.join(scratch, 'out-a') }));
			delete process.env.EXLB_BUILD_SALT;
			report.codeOnlyRebuildSeconds = round(codeOnly.seconds);
			report.codeOnlyRebuiltStages = Object.entries(codeOnly.stages).filter(([, stage]) => !stage.cached).map(([name]) => name);
			await save(report);
			const second = await withCache(path.join(scratch, 'cache-b'), () => buildImage({ outDir: path.join(scratch, 'out-b') }));
			const [a, b] = [await sha256File(systemImage(cold)), await sha256File(systemImage(second))];
			report.reproducible = {
				sourceDateEpoch: process.env.SOURCE_DATE_EPOCH ?? `recipe ${cold.recipe.debian.sourceDateEpoch}`,
				systemPartitionSha256: [a, b],
				identical: a === b,
				basePartitionIdentical: (await sha256File(path.join(cold.stages.base!.dir, 'base.squashfs'))) === (await sha256File(path.join(second.stages.base!.dir, 'base.squashfs'))),
				secondColdBuildSeconds: round(second.seconds),
			};
			await rm(path.join(scratch, 'cache-b'), { recursive: true, force: true });
			await save(report);
			reference = await buildImage();
		}
		report.systemPartitionBytes = (await stat(systemImage(reference))).size;
		report.sizesBytes = Object.fromEntries(
			await Promise.all(
				(await readdir(outDir)).filter((name) => /\.(ova|qcow2|vhdx)$/.test(name) && !name.includes('.run.')).map(async (name) => [name, (await stat(path.join(outDir, name))).size]),
			),
		);
		const boots = await bootTimes();
		report.boot = { ...boots, consoleMedianSeconds: median(boots.consoleSeconds), webBannerMedianSeconds: median(boots.bannerSeconds), machine: 'TCG, SeaBIOS, virtio-blk, virtio-net, 2 vCPU, 1 GiB' };
	} finally {
		await rm(scratch, { recursive: true, force: true });
	}
	await save(report);
	console.log(JSON.stringify(report, null, 2));
}

await main();
