// Logging benchmark (not a test; nothing asserted): requests/s of the rendered offload path (client → stunnel →
// haproxy → nginx CAS, kept-alive HTTPS, wrk) with haproxy's traffic logs off (no log target, no syslog.server)
// and on (every request logged with httplog to a local target, as the appliance's /dev/log, and forwarded in
// RFC 5424 over UDP to a syslog server in its own namespace; both receivers write every line to a file). The two
// are measured in turns (one engine each, one stopped while the other runs), --rounds times, medians reported.
// Writes out/bench-logging.json. Part of `make bench` (scripts/bench.ts), or alone:
//   node --import=tsx scripts/bench-logging.ts [--rounds N] [--seconds S]
import os from 'node:os';
import { echo, fs, path } from 'zx';
import { startSite, type Site } from '../test/integration/harness/site.js';
import { siteConfig, startEngine, type EngineUnderTest } from '../test/integration/harness/engine.js';
import { startSyslogReceiver } from '../test/integration/harness/syslog.js';
import { serverStatus } from '../test/integration/harness/haproxy-stats.js';
import { waitFor } from '../services/apply/wait.js';
import { repoRoot } from '../test/helpers/image-artifacts.js';
import '../test/helpers/use-shipped-daemons.js'; // measure the image's haproxy/stunnel, not the host's
import type { Config } from '../services/config/schema.js';
import { cli, isMain, runMain, type Values } from './lib/args.js';
import { engineOptions } from './lib/bench-options.js';
import { task } from './lib/progress.js';
import { median, reportHeader, round } from './lib/stats.js';
import { wrk } from './lib/wrk.js';

const outFile = path.join(repoRoot, 'out', 'bench-logging.json');
const LOCAL_LOG_PORT = 5140;

const step = <T>(name: string, run: () => Promise<T>): Promise<T> => task(`bench-logging: ${name}`, run);

/** Requests/s of kept-alive HTTPS through the engine that runs now. */
async function measure(site: Site, engine: EngineUnderTest, config: Config, seconds: number): Promise<{ rps: number; requests: number; failures: number }> {
	await engine.apply(config);
	await waitFor('cas1 up in be_owa', 30_000, async () => (await serverStatus(engine.statsSocket, 'be_owa', 'cas1'))?.startsWith('UP'), 100);
	try {
		return await wrk(site.lan, seconds, `https://${site.lb}/owa/`);
	} finally {
		await engine.stop();
	}
}

export async function benchLogging({ rounds, seconds }: Values<typeof engineOptions>): Promise<void> {
	const loadAtStart = os.loadavg().map((x) => round(x, 2));
	const site = await step('namespaces, nginx CAS, syslog receivers', () => startSite({ cas: ['cas1'], extraHosts: ['syslog'] }));
	try {
		const local = await startSyslogReceiver(site.lan, 'lb', site.dir, 'udp', '127.0.0.1', LOCAL_LOG_PORT);
		const remote = await startSyslogReceiver(site.lan, 'syslog', site.dir, 'udp', '0.0.0.0', 514);
		const logged = await startEngine(site.lan, path.join(site.dir, 'lb-logged'), 'lb', { logTarget: `udp@127.0.0.1:${LOCAL_LOG_PORT}` });
		const off = siteConfig(site.lan, ['cas1'], [], (c) => { c.rpc.mode = 'disabled'; });
		const on = siteConfig(site.lan, ['cas1'], [], (c) => { c.rpc.mode = 'disabled'; c.syslog.server = site.lan.addr('syslog'); });
		const samples = { off: [] as number[], on: [] as number[] };
		let requestsLogged = 0;
		let linesLocal = 0;
		let linesRemote = 0;
		let failedRequests = 0;
		// Rounds alternate the two so a change in the machine's background load hits both alike.
		for (let r = 1; r <= rounds; r++) {
			const a = await step(`round ${r}/${rounds}: logging off (${seconds} s)`, () => measure(site, site.engine, off, seconds));
			const [localBefore, remoteBefore] = [local.lines().length, remote.lines().length];
			const b = await step(`round ${r}/${rounds}: logging on (${seconds} s)`, () => measure(site, logged, on, seconds));
			samples.off.push(a.rps);
			samples.on.push(b.rps);
			failedRequests += a.failures + b.failures;
			requestsLogged += b.requests;
			linesLocal += local.lines().length - localBefore;
			linesRemote += remote.lines().length - remoteBefore;
		}
		const [offRps, onRps] = [median(samples.off), median(samples.on)];
		const report = {
			...reportHeader({ seconds, rounds, loadAtStart, setup: 'network namespaces on one host (its cores shared by client, balancer, CAS and receivers); wrk -t2 -c32 kept-alive HTTPS to /owa/; medians of the rounds' }),
			requestsPerSecond: { loggingOff: round(offRps), loggingOn: round(onRps) },
			loggingCostPercent: round((1 - onRps / offRps) * 100, 1),
			// Lines received while logging was on, against the requests wrk completed (health checks are not logged).
			logLines: { requests: requestsLogged, local: linesLocal, remote: linesRemote },
			samples: { off: samples.off.map((v) => round(v, 1)), on: samples.on.map((v) => round(v, 1)) },
			failedRequests,
		};
		await fs.outputFile(outFile, JSON.stringify(report, null, 2) + '\n');
		echo(`
logging benchmark (medians of ${rounds} rounds, ${seconds} s per measurement, load average at start ${loadAtStart.join(' ')}) → ${path.relative(repoRoot, outFile)}
  requests/s  offload path, logging off: ${report.requestsPerSecond.loggingOff}
              offload path, logging on (local + syslog over UDP): ${report.requestsPerSecond.loggingOn}   cost ${report.loggingCostPercent} %
  log lines while on: ${linesLocal} local, ${linesRemote} remote, for ${requestsLogged} requests; failed requests: ${failedRequests}`);
	} finally {
		await site.stop();
	}
}

if (isMain(import.meta.url)) {
	await runMain('bench-logging', () => benchLogging(cli('usage: node --import=tsx scripts/bench-logging.ts [--rounds N] [--seconds S]\nThe logging benchmark of `make bench` → out/bench-logging.json.', engineOptions)));
}
