// Web server benchmark (not a test; nothing asserted): the bundled web server (esbuild, as the image ships it) in
// front of the real engine process without daemons (test/integration/web/engine-under-test.ts),
// measured as a person would see it on the appliance:
//   1. its resident memory at start, after a login, and after --requests API requests (--concurrency at a time,
//      keep-alive, authenticated GETs of the running configuration and its diff), with Node's default heap,
//      with exlb-web.service's --max-old-space-size=64, and with --max-semi-space-size=2 added;
//   2. a login with scrypt (N=2^15, r=8, p=3): its time through the API, and the time and peak memory of the
//      hash alone in a fresh process.
// Writes out/bench-web.json and prints a summary:
//   node --import=tsx scripts/bench-web.ts [--requests N] [--concurrency N]
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { echo, fs, path, tmpdir } from 'zx';
import { execa } from 'execa';
import { generateSelfSigned } from '../services/certs/self-signed.js';
import { repoRoot } from '../test/helpers/image-artifacts.js';
import { bundleAgents } from '../image/pipeline/bundles.js';
import '../test/helpers/use-shipped-daemons.js'; // the engine checks configurations with the image's daemons
import { startEngineUnderTest } from '../test/integration/web/engine-under-test.js';
import { adminPassword, ApiClient, loggedInAdmin } from '../test/helpers/api-client.js';
import { cli, isMain } from './lib/args.js';
import { webOptions } from './lib/bench-options.js';
import { memoryOf, startBundledWeb } from './lib/bundled-web.js';
import { median, round } from './lib/stats.js';

const outFile = path.join(repoRoot, 'out', 'bench-web.json');
/** exlb-web.service's flags (image/overlay/usr/lib/systemd/system/exlb-web.service), and those with a small young generation too. */
const unitFlags = ['--max-old-space-size=64'];
const smallYoungFlags = [...unitFlags, '--max-semi-space-size=2'];


const mib = (kib: number) => round(kib / 1024, 1);

/** The web server and the engine bundled as the image ships them (image/pipeline/bundles.ts). */
async function bundled(outDir: string): Promise<{ web: string; engine: string }> {
	await bundleAgents(outDir);
	return { web: path.join(outDir, 'exlb-web.mjs'), engine: path.join(outDir, 'exlb-engine.mjs') };
}

interface Run {
	readonly nodeFlags: string[];
	readonly rssAtStartMiB: number;
	readonly rssAfterLoginMiB: number;
	readonly rssAfterRequestsMiB: number;
	readonly peakRssMiB: number;
	/** The engine (bundled, no daemons) behind it: at start, after the requests, peak. */
	readonly engineRssMiB: { readonly atStart: number; readonly afterRequests: number; readonly peak: number };
	readonly requests: number;
	readonly failedRequests: number;
	readonly requestsPerSecond: number;
	readonly loginMs: number[];
}

async function measureRun(bundles: { web: string; engine: string }, nodeFlags: string[], requests: number, concurrency: number, dir: string): Promise<Run> {
	// As exlb-engine.service runs it (no node flags).
	const engine = await startEngineUnderTest([bundles.engine]);
	const engineAtStart = await memoryOf(engine.pid!);
	const tlsFile = path.join(dir, 'tls.pem');
	if (!(await fs.pathExists(tlsFile))) await generateSelfSigned('exlb.test', tlsFile);
	const pem = await readFile(tlsFile, 'utf8');
	const server = await startBundledWeb({ script: bundles.web, nodeFlags, engineSocket: engine.socketPath, tlsFile }).catch(async (error: unknown) => {
		await engine.stop();
		throw error;
	});
	try {
		const atStart = await memoryOf(server.pid);
		const origin = server.origin;
		const web = { client: () => new ApiClient(origin, pem) };
		const admin = await loggedInAdmin(web);
		const loginMs: number[] = [];
		for (let index = 0; index < 5; index++) {
			const started = performance.now();
			const login = await web.client().login('admin', adminPassword);
			if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
			loginMs.push(round(performance.now() - started));
		}
		const afterLogin = await memoryOf(server.pid);
		let next = 0;
		let failed = 0;
		// Engine round trips that read files only (the status runs pidof and the haproxy socket: the engine's cost, not ours).
		const paths = ['/api/v1/config', '/api/v1/config/diff'];
		const started = performance.now();
		await Promise.all(Array.from({ length: concurrency }, async () => {
			for (let index = next++; index < requests; index = next++) {
				const response = await admin.request('GET', paths[index % paths.length]!);
				if (response.status !== 200) failed++;
			}
		}));
		const seconds = (performance.now() - started) / 1000;
		const after = await memoryOf(server.pid);
		const engineAfter = await memoryOf(engine.pid!);
		return {
			nodeFlags, rssAtStartMiB: mib(atStart.rss), rssAfterLoginMiB: mib(afterLogin.rss), rssAfterRequestsMiB: mib(after.rss), peakRssMiB: mib(after.peak),
			engineRssMiB: { atStart: mib(engineAtStart.rss), afterRequests: mib(engineAfter.rss), peak: mib(engineAfter.peak) },
			requests, failedRequests: failed, requestsPerSecond: round(requests / seconds), loginMs,
		};
	} finally {
		await server.stop();
		await engine.stop();
	}
}

/** One scrypt hash and one verification in a fresh process: their times and the process's peak memory growth. */
async function scryptAlone(): Promise<{ hashMs: number; verifyMs: number; peakGrowthMiB: number }> {
	const module = path.join(repoRoot, 'services/appliance/auth/password-hash.ts');
	const script = `
		import { readFileSync } from 'node:fs';
		import { hashPassword, verifyPassword } from ${JSON.stringify(module)};
		const peak = () => Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
		const before = peak();
		let t = performance.now();
		const encoded = await hashPassword('tulip lantern orbit 2031');
		const hashMs = performance.now() - t;
		t = performance.now();
		await verifyPassword('tulip lantern orbit 2031', encoded);
		const verifyMs = performance.now() - t;
		console.log(JSON.stringify({ hashMs, verifyMs, peakGrowthKiB: peak() - before }));`;
	const { stdout } = await execa('node', ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot });
	const figures = JSON.parse(stdout) as { hashMs: number; verifyMs: number; peakGrowthKiB: number };
	return { hashMs: round(figures.hashMs), verifyMs: round(figures.verifyMs), peakGrowthMiB: mib(figures.peakGrowthKiB) };
}

export async function benchWeb({ requests, concurrency }: { requests: number; concurrency: number }): Promise<void> {
	const loadAtStart = os.loadavg().map((value) => round(value, 2));
	const dir = await fs.mkdtemp(path.join(tmpdir(), 'exlb-bench-web-'));
	try {
		const bundles = await bundled(path.join(dir, 'bundles'));
		const defaultHeap = await measureRun(bundles, [], requests, concurrency, dir);
		const unit = await measureRun(bundles, unitFlags, requests, concurrency, dir);
		const smallYoung = await measureRun(bundles, smallYoungFlags, requests, concurrency, dir);
		const scrypt = await scryptAlone();
		const report = {
			measuredAt: new Date().toISOString(),
			node: process.version,
			// Times depend on what else the 2 cores run; memory does not.
			loadAverageAtStart: loadAtStart,
			bundleBytes: (await fs.stat(bundles.web)).size,
			setup: `bundled web server and engine (EXLB_CONTROLLER=none: no daemons); ${requests} keep-alive GETs (config, config/diff) ${concurrency} at a time after a login`,
			runs: { defaultHeap, unit, smallYoung },
			login: { apiMedianMs: median([...unit.loginMs, ...smallYoung.loginMs]), scryptAlone: scrypt },
		};
		await fs.outputFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
		const line = (name: string, run: Run) =>
			`  ${name.padEnd(52)}\n  ${''.padEnd(4)}RSS start ${run.rssAtStartMiB} MiB, after login ${run.rssAfterLoginMiB} MiB, after ${run.requests} requests ${run.rssAfterRequestsMiB} MiB (peak ${run.peakRssMiB}); ${run.requestsPerSecond} req/s, ${run.failedRequests} failed
      engine RSS start ${run.engineRssMiB.atStart} MiB, after the requests ${run.engineRssMiB.afterRequests} MiB (peak ${run.engineRssMiB.peak})`;
		echo(`
web server benchmark → ${path.relative(repoRoot, outFile)} (bundle ${round(report.bundleBytes / 1024)} KiB, load average at start ${loadAtStart.join(' ')})
${line('node (default heap)', defaultHeap)}
${line(`node ${unitFlags.join(' ')} (the unit)`, unit)}
${line(`node ${smallYoungFlags.join(' ')}`, smallYoung)}
  login through the API (scrypt in the engine): median ${report.login.apiMedianMs} ms of ${[...unit.loginMs, ...smallYoung.loginMs].join(', ')}
  scrypt N=2^15 r=8 p=3 alone: hash ${scrypt.hashMs} ms, verify ${scrypt.verifyMs} ms, peak memory +${scrypt.peakGrowthMiB} MiB`);
	} finally {
		await fs.remove(dir);
	}
}

if (isMain(import.meta.url)) {
	await benchWeb(cli('usage: node --import=tsx scripts/bench-web.ts [--requests N] [--concurrency N]\nThe web server benchmark → out/bench-web.json.', webOptions)).catch((error: unknown) => {
		console.error(`\nbench-web failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		process.exitCode = 1;
	});
}
