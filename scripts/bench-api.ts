// API benchmark (not a test; nothing asserted): how long a configuration change takes from PATCH /api/v1/config to
// its answer, which comes once the change is applied (rendered, checked with the daemons, haproxy reloaded):
//   host  the web server process and the engine (test/integration/web/site-engine.ts) with the image's stunnel and
//         haproxy in network namespaces;
//   tcg   the built image under QEMU TCG with --memory MiB, through hostfwd to port 4444, after the first login and
//         the password change; then the memory the whole appliance uses (GET /api/v1/system: total − available).
// Every PATCH flips http.timeout between two values, so each one re-renders the files and reloads haproxy (the
// reload is confirmed: haproxy's worker pid in GET /api/v1/status changes). Medians to out/bench-api.json:
// Part of `make bench` (scripts/bench.ts), or alone:
//   node --import=tsx scripts/bench-api.ts [--places host,tcg] [--patches N] [--memory MiB]
import os from 'node:os';
import { echo, fs, path } from 'zx';
import type { HaproxyStatus } from '../services/haproxy/status.js';
import { ApiClient, loggedInAdmin, patchConfig } from '../test/helpers/api-client.js';
import { repoRoot } from '../test/helpers/image-artifacts.js';
import '../test/helpers/use-shipped-daemons.js'; // the image's haproxy and stunnel, not the host's
import { bootGuest } from '../test/helpers/qemu.js';
import { apiDeadlineMs, bootDeadlineMs, countdownEnd, curlUntilAnswered, imageFile, stepDeadlineMs, webBanner } from '../test/boot/firstboot-support.js';
import { SITE_NAME, startSite } from '../test/integration/harness/site.js';
import { startSiteEngine } from '../test/integration/web/site-engine.js';
import { startWebUnderTest } from '../test/integration/web/web-under-test.js';
import { cli, isMain, type Values } from './lib/args.js';
import { apiOptions } from './lib/bench-options.js';
import { task } from './lib/progress.js';
import { median, round } from './lib/stats.js';

const outFile = path.join(repoRoot, 'out', 'bench-api.json');

interface PatchFigures {
	readonly medianMs: number;
	readonly minMs: number;
	readonly maxMs: number;
	readonly samplesMs: number[];
	/** PATCHes after which haproxy's worker was a new one (reloaded). */
	readonly reloads: number;
}

const step = <T>(name: string, run: () => Promise<T>): Promise<T> => task(`bench-api: ${name}`, run);

async function haproxyPid(api: ApiClient): Promise<number | null> {
	const status = (await api.request('GET', '/api/v1/status')).body.haproxy as HaproxyStatus;
	return status.running ? status.pid : null;
}

/** `count` PATCHes flipping http.timeout, each timed from the request to its answer. */
async function timedPatches(api: ApiClient, count: number): Promise<PatchFigures> {
	const samples: number[] = [];
	let reloads = 0;
	for (let index = 0; index < count; index++) {
		const before = await haproxyPid(api);
		const started = performance.now();
		await patchConfig(api, { http: { timeout: index % 2 === 0 ? 30 : 25 } });
		samples.push(round(performance.now() - started));
		const after = await haproxyPid(api);
		if (after !== null && after !== before) reloads++;
	}
	return { medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples), samplesMs: samples, reloads };
}

async function onHost(patches: number): Promise<PatchFigures> {
	const site = await step('namespaces, two nginx CAS, engine, web server', () => startSite({ cas: ['cas1', 'cas2'] }));
	try {
		const web = await startWebUnderTest(await startSiteEngine(site));
		try {
			const admin = await loggedInAdmin(web);
			await step('first PATCH (CAS servers, ssl-offload)', () => patchConfig(admin, {
				exchangeVersion: '2013+', casServers: [site.lan.addr('cas1'), site.lan.addr('cas2')], http: { mode: 'ssl-offload', hostName: SITE_NAME },
			}));
			const figures = await step(`${patches} PATCHes`, () => timedPatches(admin, patches));
			await admin.close();
			return figures;
		} finally {
			await web.stop();
		}
	} finally {
		await site.stop();
	}
}

interface TcgFigures {
	readonly memoryMiB: number;
	readonly bootToApiSeconds: number;
	readonly firstPatchMs: number;
	readonly patches: PatchFigures;
	/** The whole appliance after the PATCHes: total − available memory (GET /api/v1/system). */
	readonly usedMiB: number;
	readonly totalMiB: number;
}

async function underTcg(patches: number, memoryMiB: number): Promise<TcgFigures> {
	const started = performance.now();
	const guest = await bootGuest({
		disk: imageFile(), name: 'bench-api', memoryMiB,
		nics: [{ model: 'virtio-net-pci', netdev: { type: 'user', hostForwards: [{ guestPort: 4444 }] } }],
	});
	try {
		const origin = `https://127.0.0.1:${guest.hostPort(4444)}`;
		await step(`boot (${memoryMiB} MiB) to the API`, async () => {
			await guest.waitFor(countdownEnd, { timeoutMs: bootDeadlineMs });
			await guest.waitFor(webBanner('10.0.2.15'), { timeoutMs: stepDeadlineMs });
			await curlUntilAnswered(`${origin}/api/v1/openapi.json`, apiDeadlineMs);
		});
		const bootToApiSeconds = round((performance.now() - started) / 1000, 1);
		const api = await loggedInAdmin({ client: () => new ApiClient(origin, null) });
		try {
			const first = performance.now();
			await step('first PATCH (CAS servers, ssl-offload)', () => patchConfig(api, { exchangeVersion: '2013+', casServers: ['10.0.2.2'], http: { mode: 'ssl-offload', hostName: 'mail.exlb.test' } }));
			const firstPatchMs = round(performance.now() - first);
			const figures = await step(`${patches} PATCHes`, () => timedPatches(api, patches));
			const memory = (await api.request('GET', '/api/v1/system')).body.memory as { totalBytes: number; availableBytes: number };
			const mib = (bytes: number) => round(bytes / 2 ** 20);
			return { memoryMiB, bootToApiSeconds, firstPatchMs, patches: figures, usedMiB: mib(memory.totalBytes - memory.availableBytes), totalMiB: mib(memory.totalBytes) };
		} finally {
			await api.close();
		}
	} catch (error) {
		echo(guest.tail(60));
		throw error;
	} finally {
		await guest.stop();
	}
}

export async function benchApi({ places, patches, memory }: Values<typeof apiOptions>): Promise<void> {
	const loadAtStart = os.loadavg().map((value) => round(value, 2));
	const host = places.includes('host') ? await onHost(patches) : null;
	const tcg = places.includes('tcg') ? await underTcg(patches, memory) : null;
	const report = { measuredAt: new Date().toISOString(), loadAverageAtStart: loadAtStart, patches, host, tcg };
	await fs.outputFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
	const line = (figures: PatchFigures) => `median ${figures.medianMs} ms (${figures.minMs}–${figures.maxMs}), haproxy reloaded after ${figures.reloads} of ${figures.samplesMs.length}`;
	echo(`
API benchmark → ${path.relative(repoRoot, outFile)} (load average at start ${loadAtStart.join(' ')})
  PATCH → applied, host (network namespaces): ${host === null ? 'not measured' : line(host)}
  PATCH → applied, appliance under QEMU TCG: ${tcg === null ? 'not measured' : `${line(tcg.patches)}; the first PATCH (CAS servers, ssl-offload: stunnel and haproxy started) ${tcg.firstPatchMs} ms`}
  appliance in ${tcg === null ? '-' : `${tcg.memoryMiB} MiB: API answering ${tcg.bootToApiSeconds} s after QEMU start; ${tcg.usedMiB} MiB used of ${tcg.totalMiB} MiB after the PATCHes`}`);
}

if (isMain(import.meta.url)) {
	await benchApi(cli('usage: node --import=tsx scripts/bench-api.ts [--places host,tcg] [--patches N] [--memory MiB]\nThe API benchmark → out/bench-api.json.', apiOptions)).catch((error: unknown) => {
		console.error(`\nbench-api failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		process.exitCode = 1;
	});
}
