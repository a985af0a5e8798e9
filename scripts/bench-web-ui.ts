// Figures of the browser interface (not a test; nothing asserted), with the web server and the engine bundled as
// the image ships them (the engine without daemons, test/integration/web/engine-under-test.ts) on loopback:
//   1. the first page's weight: index.html, its script, the chunks it preloads and its stylesheet as sent gzipped (and brotli);
//   2. navigation → dashboard usable in Debian's Chromium (Playwright): from the start of the navigation to the
//      dashboard showing the VRRP state, the server matrix and the charts; cold (an empty browser cache, a session
//      already open) and warm (reloads), medians of --navigations;
//   3. the web server's RSS (exlb-web.service's node flags) while one browser stays on the live dashboard (polling
//      every 3 s) for --minutes, sampled every 10 s.
// Writes out/bench-web-ui.json and prints a summary:
//   node --import=tsx scripts/bench-web-ui.ts [--navigations N] [--minutes N]
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleAgents, webUiOutput } from '../image/pipeline/bundles.js';
import { generateSelfSigned } from '../services/certs/self-signed.js';
import { adminPassword, ApiClient, loggedInAdmin } from '../test/helpers/api-client.js';
import { firstPageWeight, scriptAndStylesheetBytes } from '../test/helpers/first-page-weight.js';
import { repoRoot } from '../test/helpers/image-artifacts.js';
import '../test/helpers/use-shipped-daemons.js'; // the engine checks configurations with the image's daemons
import { launchChromium, newContext } from '../test/integration/web-ui/browser.js';
import { startEngineUnderTest } from '../test/integration/web/engine-under-test.js';
import { cli, isMain } from './lib/args.js';
import { webUiOptions } from './lib/bench-options.js';
import { memoryOf, startBundledWeb } from './lib/bundled-web.js';
import { median, round } from './lib/stats.js';

const outFile = path.join(repoRoot, 'out', 'bench-web-ui.json');
/** exlb-web.service's node flags (image/overlay/usr/lib/systemd/system/exlb-web.service). */
const unitFlags = ['--max-old-space-size=64', '--max-semi-space-size=2'];


const mib = (kib: number) => round(kib / 1024, 1);


/** Waits until the dashboard is usable: the VRRP state, the server matrix (or its absence said) and the charts are shown. */
const dashboardUsable = () => document.querySelector('main .loading') === null
	&& document.querySelector('#vrrp-title') !== null && document.querySelector('#charts-title') !== null;

export async function benchWebUi({ navigations: runs, minutes }: { navigations: number; minutes: number }): Promise<void> {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-bench-web-ui-'));
	const browser = await launchChromium();
	try {
		await bundleAgents(dir);
		const uiDir = path.join(dir, webUiOutput);
		const weight = await firstPageWeight(uiDir);
		const engine = await startEngineUnderTest([path.join(dir, 'exlb-engine.mjs')]);
		const tlsFile = path.join(dir, 'tls.pem');
		await generateSelfSigned('exlb.test', tlsFile);
		const web = await startBundledWeb({ script: path.join(dir, 'exlb-web.mjs'), nodeFlags: unitFlags, engineSocket: engine.socketPath, tlsFile, uiDir });
		try {
			const pem = await readFile(tlsFile, 'utf8');
			const admin: ApiClient = await loggedInAdmin({ client: () => new ApiClient(web.origin, pem) });
			await admin.close();
			// A session opened once through the login form; each cold run starts from its cookie with an empty cache.
			const first = await newContext(browser);
			const login = await first.newPage();
			await login.goto(`${web.origin}/`);
			await login.getByLabel('Password', { exact: true }).fill(adminPassword);
			await login.getByRole('button', { name: 'Log in' }).click();
			await login.waitForFunction(dashboardUsable, undefined, { timeout: 60_000 });
			const session = await first.storageState();
			await first.close();

			const timed = async (page: import('playwright-core').Page) => {
				const started = performance.now();
				await page.goto(`${web.origin}/#/dashboard`);
				await page.waitForFunction(dashboardUsable, undefined, { timeout: 60_000, polling: 'raf' });
				return round(performance.now() - started);
			};
			const coldMs: number[] = [];
			for (let run = 0; run < runs; run++) {
				const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 }, storageState: session });
				coldMs.push(await timed(await context.newPage()));
				await context.close();
			}
			const warmContext = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 }, storageState: session });
			const warmPage = await warmContext.newPage();
			await timed(warmPage);
			const warmMs: number[] = [];
			for (let run = 0; run < runs; run++) {
				await warmPage.goto('about:blank');
				warmMs.push(await timed(warmPage));
			}

			// One browser on the live dashboard; the web server's memory every 10 s.
			const samples: { seconds: number; rssMiB: number }[] = [];
			const started = Date.now();
			const endAt = started + minutes * 60_000;
			samples.push({ seconds: 0, rssMiB: mib((await memoryOf(web.pid)).rss) });
			while (Date.now() < endAt) {
				await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, Math.max(0, endAt - Date.now()))));
				samples.push({ seconds: round((Date.now() - started) / 1000), rssMiB: mib((await memoryOf(web.pid)).rss) });
			}
			const peak = mib((await memoryOf(web.pid)).peak);
			await warmContext.close();

			const report = {
				date: new Date().toISOString(),
				firstPage: { files: weight, scriptAndStylesheetGzipBytes: scriptAndStylesheetBytes(weight, 'gzip'), scriptAndStylesheetBrotliBytes: scriptAndStylesheetBytes(weight, 'brotli') },
				dashboardUsableMs: { coldMedian: median(coldMs), cold: coldMs, warmMedian: median(warmMs), warm: warmMs },
				liveDashboard: { minutes, nodeFlags: unitFlags, rssMiB: samples, peakRssMiB: peak },
			};
			await writeFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
			const rss = samples.map((sample) => sample.rssMiB);
			console.log(`bench-web-ui → ${outFile}
  first page: JS + CSS ${round(report.firstPage.scriptAndStylesheetGzipBytes / 1024, 1)} KiB gzipped (${round(report.firstPage.scriptAndStylesheetBrotliBytes / 1024, 1)} KiB brotli), index.html ${weight['index.html']?.gzip} B gzipped
  navigation → dashboard usable: cold median ${median(coldMs)} ms of ${coldMs.join(', ')}; warm median ${median(warmMs)} ms of ${warmMs.join(', ')}
  web server RSS with one browser on the live dashboard for ${minutes} min: ${rss[0]} MiB at start, ${Math.max(...rss)} MiB at most, ${rss.at(-1)} MiB at the end (peak ${peak} MiB)`);
		} finally {
			await web.stop();
			await engine.stop();
		}
	} finally {
		await browser.close();
		await rm(dir, { recursive: true, force: true });
	}
}

if (isMain(import.meta.url)) {
	await benchWebUi(cli('usage: node --import=tsx scripts/bench-web-ui.ts [--navigations N] [--minutes N]\nThe browser interface\'s figures → out/bench-web-ui.json.', webUiOptions)).catch((error: unknown) => {
		console.error(`\nbench-web-ui failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		process.exitCode = 1;
	});
}
