// make bench (build and boot): image build and boot figures, printed and written to out/bench.json.
//   cold build      full build into an empty cache (EXLB_CACHE_DIR pointed at a fresh temp dir)
//   code-only       rebuild after a change to the agents' bytes only (EXLB_BUILD_SALT), same cache
//   reproducible    a second cold build with the same SOURCE_DATE_EPOCH: are the system partition bytes equal?
//   sizes           every artifact in out/
//   boot            QEMU start → appliance console, and → web banner (median of --boots, TCG, SeaBIOS + virtio)
// Part of `make bench` (scripts/bench.ts), or alone:
//   node --import=tsx scripts/bench-build.ts [--quick] [--boots N]
// --quick skips the two cold builds (uses the normal cache) for a fast look at sizes and boot times.
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import { echo, fs, path } from 'zx';
import { buildImage, type BuildOptions, type BuildResult } from '../image/pipeline/build.js';
import { sha256File } from '../image/pipeline/cache.js';
import { artifacts, outDir } from '../test/helpers/image-artifacts.js';
import { bootGuest } from '../test/helpers/qemu.js';
import { cli, isMain, type Values } from './lib/args.js';
import { buildOptions } from './lib/bench-options.js';
import { task, withStepProgress } from './lib/progress.js';
import { median, round } from './lib/stats.js';

const consoleUp = /Retrieve IP using DHCP|Access WEB User Interface|exlb [0-9.]+ console/;
const webBanner = /https:\/\/[0-9.]+:4444\//;

/** One timed build, with EXLB_CACHE_DIR pointed at `cacheDir` while it runs. */
async function build(title: string, cacheDir: string | undefined, options: BuildOptions = {}): Promise<BuildResult> {
	const saved = process.env.EXLB_CACHE_DIR;
	if (cacheDir) process.env.EXLB_CACHE_DIR = cacheDir;
	try {
		return await task(`bench: ${title}`, () => withStepProgress(() => buildImage(options)));
	} finally {
		if (saved === undefined) delete process.env.EXLB_CACHE_DIR;
		else process.env.EXLB_CACHE_DIR = saved;
	}
}

const systemImage = (result: BuildResult) => path.join(result.stages.system!.dir, 'system.squashfs');
const seconds = (started: number) => round((performance.now() - started) / 1000, 1);

async function bootTimes(boots: number): Promise<{ consoleSeconds: number[]; bannerSeconds: number[] }> {
	const consoleSeconds: number[] = [];
	const bannerSeconds: number[] = [];
	for (let run = 0; run < boots; run += 1) {
		await task(`bench: boot ${run + 1}/${boots}`, async () => {
			const started = performance.now();
			const guest = await bootGuest({ disk: artifacts.qcow2, name: `bench-boot-${run}`, firmware: 'bios', controller: 'virtio-blk' });
			try {
				await guest.waitFor(consoleUp, { timeoutMs: 300_000, fromStart: true });
				consoleSeconds.push(seconds(started));
				await guest.waitFor(webBanner, { timeoutMs: 300_000, fromStart: true });
				bannerSeconds.push(seconds(started));
			} finally {
				await guest.stop();
			}
		});
	}
	return { consoleSeconds, bannerSeconds };
}

/** Writes what is measured so far, so an interrupted run still leaves its figures. */
async function save(report: Record<string, unknown>): Promise<void> {
	await fs.outputFile(path.join(outDir, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
}

export async function benchBuild({ quick, boots }: Values<typeof buildOptions>): Promise<void> {
	const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'exlb-bench-'));
	const report: Record<string, unknown> = { date: new Date().toISOString(), cpus: os.cpus().length, quick };
	try {
		let reference: BuildResult;
		if (quick) {
			reference = await build('build (normal cache)', undefined);
		} else {
			const coldCache = path.join(scratch, 'cache-a');
			const cold = await build('cold build', coldCache, { outDir: path.join(scratch, 'out-a') });
			report.coldBuildSeconds = round(cold.seconds, 1);
			await save(report);
			process.env.EXLB_BUILD_SALT = `bench-${Date.now()}`;
			const codeOnly = await build('code-only rebuild', coldCache, { outDir: path.join(scratch, 'out-a') });
			delete process.env.EXLB_BUILD_SALT;
			report.codeOnlyRebuildSeconds = round(codeOnly.seconds, 1);
			report.codeOnlyRebuiltStages = Object.entries(codeOnly.stages).filter(([, stage]) => !stage.cached).map(([name]) => name);
			await save(report);
			const second = await build('second cold build (reproducibility)', path.join(scratch, 'cache-b'), { outDir: path.join(scratch, 'out-b') });
			const [a, b] = [await sha256File(systemImage(cold)), await sha256File(systemImage(second))];
			report.reproducible = {
				sourceDateEpoch: process.env.SOURCE_DATE_EPOCH ?? `recipe ${cold.recipe.debian.sourceDateEpoch}`,
				systemPartitionSha256: [a, b],
				identical: a === b,
				basePartitionIdentical: (await sha256File(path.join(cold.stages.base!.dir, 'base.squashfs'))) === (await sha256File(path.join(second.stages.base!.dir, 'base.squashfs'))),
				secondColdBuildSeconds: round(second.seconds, 1),
			};
			await fs.rm(path.join(scratch, 'cache-b'), { recursive: true, force: true });
			await save(report);
			reference = await build('build (normal cache)', undefined);
		}
		report.systemPartitionBytes = (await fs.stat(systemImage(reference))).size;
		report.sizesBytes = Object.fromEntries(
			await Promise.all(
				(await readdir(outDir)).filter((name) => /\.(ova|qcow2|vhdx)$/.test(name) && !name.includes('.run.')).map(async (name) => [name, (await fs.stat(path.join(outDir, name))).size]),
			),
		);
		const times = await bootTimes(boots);
		report.boot = { ...times, consoleMedianSeconds: round(median(times.consoleSeconds), 1), webBannerMedianSeconds: round(median(times.bannerSeconds), 1), machine: 'TCG, SeaBIOS, virtio-blk, virtio-net, 2 vCPU, 1 GiB' };
	} finally {
		await fs.rm(scratch, { recursive: true, force: true });
	}
	await save(report);
	echo(JSON.stringify(report, null, 2));
}

if (isMain(import.meta.url)) {
	await benchBuild(cli('usage: node --import=tsx scripts/bench-build.ts [--quick] [--boots N]\nThe build and boot benchmark of `make bench` → out/bench.json.', buildOptions));
}
