// Logging benchmark (not a test; nothing asserted): requests/s of the rendered offload path (client → stunnel →
// haproxy → nginx CAS, kept-alive HTTPS, wrk) with haproxy's traffic logs
//   off        no log target, no syslog.server;
//   on         every request logged with httplog to the local target (a unix datagram socket, as the appliance's
//              /dev/log) and forwarded in RFC 5424 over UDP to syslog.server, both read by a sink (socat to
//              /dev/null) that costs next to nothing: haproxy's own cost (the appliance's syslog server is another
//              machine; its journald is rate-limited, see README);
//   on+files   the same, with receivers that write every line to a file on this host (counted, so every request
//              is shown logged): their work lands on the cores the path runs on, an upper bound.
// Each variant has its own engine, one running at a time, in turns, --rounds times; medians reported.
// Writes out/bench-logging.json. Part of `make bench` (scripts/bench.ts), or alone:
//   node --import=tsx scripts/bench-logging.ts [--rounds N] [--seconds S]
import os from 'node:os';
import { echo, fs, path } from 'zx';
import { startSite, type Site } from '../test/integration/harness/site.js';
import { siteConfig, startEngine, type EngineUnderTest } from '../test/integration/harness/engine.js';
import { startSyslogReceiver } from '../test/integration/harness/syslog.js';
import { startDaemon } from '../test/integration/harness/daemon.js';
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
/** UDP ports of the syslog server's receivers (in their own namespace). */
const REMOTE_PORTS = { files: 514, sink: 1514 } as const;

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

/** socat reading datagrams from `from` (a socat address) into `to` (a file, /dev/null to drop them), in `host`'s namespace. */
async function startSocat(site: Site, host: string, name: string, from: string, to: string): Promise<void> {
	await startDaemon(site.lan, host, name, path.join(site.dir, `${name}.out`), 'socat', ['-u', from, to], { ports: [] });
}

const countLines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 1 : 0);

export async function benchLogging({ rounds, seconds }: Values<typeof engineOptions>): Promise<void> {
	const loadAtStart = os.loadavg().map((x) => round(x, 2));
	const site = await step('namespaces, nginx CAS, syslog receivers', () => startSite({ cas: ['cas1'], extraHosts: ['syslog'] }));
	try {
		const socket = (name: string) => path.join(site.dir, `log-${name}.sock`);
		const localFile = path.join(site.dir, 'local.log');
		await startSocat(site, 'lb', 'local-sink', `UNIX-RECV:${socket('sink')}`, '/dev/null');
		await startSocat(site, 'lb', 'local-files', `UNIX-RECV:${socket('files')}`, `OPEN:${localFile},creat,append`);
		await startSocat(site, 'syslog', 'remote-sink', `UDP4-RECV:${REMOTE_PORTS.sink}`, '/dev/null');
		const remote = await startSyslogReceiver(site.lan, 'syslog', site.dir, 'udp', '0.0.0.0', REMOTE_PORTS.files);
		await waitFor('the local receivers\' sockets', 10_000, () => fs.existsSync(socket('sink')) && fs.existsSync(socket('files')), 50);
		const config = (port?: number) => siteConfig(site.lan, ['cas1'], [], (c) => {
			c.rpc.mode = 'disabled';
			if (port !== undefined) c.syslog = { server: site.lan.addr('syslog'), protocol: 'udp', port };
		});
		const engine = (name: string) => startEngine(site.lan, path.join(site.dir, `lb-${name}`), 'lb', { logTarget: socket(name) });
		const variants = {
			off: { engine: site.engine, config: config() },
			on: { engine: await engine('sink'), config: config(REMOTE_PORTS.sink) },
			onFiles: { engine: await engine('files'), config: config(REMOTE_PORTS.files) },
		};
		type Name = keyof typeof variants;
		const samples: Record<Name, number[]> = { off: [], on: [], onFiles: [] };
		const lines = { requests: 0, local: 0, remote: 0 };
		let failedRequests = 0;
		// Rounds alternate the variants so a change in the machine's background load hits them alike.
		for (let r = 1; r <= rounds; r++) {
			for (const [name, { engine: running, config: applied }] of Object.entries(variants) as [Name, (typeof variants)[Name]][]) {
				const [localBefore, remoteBefore] = [countLines(localFile), remote.lines().length];
				const figures = await step(`round ${r}/${rounds}: logging ${name} (${seconds} s)`, () => measure(site, running, applied, seconds));
				samples[name].push(figures.rps);
				failedRequests += figures.failures;
				if (name === 'onFiles') {
					lines.requests += figures.requests;
					lines.local += countLines(localFile) - localBefore;
					lines.remote += remote.lines().length - remoteBefore;
				}
			}
		}
		const m = (name: Name) => median(samples[name]);
		const cost = (name: Name) => round((1 - m(name) / m('off')) * 100, 1);
		const report = {
			...reportHeader({ seconds, rounds, loadAtStart, setup: 'network namespaces on one host (its cores shared by client, balancer, CAS and receivers); wrk -t2 -c32 kept-alive HTTPS to /owa/; medians of the rounds' }),
			requestsPerSecond: { loggingOff: round(m('off')), loggingOn: round(m('on')), loggingOnReceiversWritingHere: round(m('onFiles')) },
			loggingCostPercent: cost('on'),
			loggingCostWithReceiversHerePercent: cost('onFiles'),
			// Lines the file receivers got while on+files ran, against the requests wrk completed (health checks are not logged).
			logLines: lines,
			samples: Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, values.map((v) => round(v, 1))])),
			failedRequests,
		};
		await fs.outputFile(outFile, JSON.stringify(report, null, 2) + '\n');
		echo(`
logging benchmark (medians of ${rounds} rounds, ${seconds} s per measurement, load average at start ${loadAtStart.join(' ')}) → ${path.relative(repoRoot, outFile)}
  requests/s  offload path, logging off: ${report.requestsPerSecond.loggingOff}
              logging on (local target + syslog over UDP, received elsewhere): ${report.requestsPerSecond.loggingOn}   cost ${report.loggingCostPercent} %
              logging on, receivers writing every line on this host: ${report.requestsPerSecond.loggingOnReceiversWritingHere}   cost ${report.loggingCostWithReceiversHerePercent} %
  lines written while on+files: ${lines.local} local, ${lines.remote} remote, for ${lines.requests} requests; failed requests: ${failedRequests}`);
	} finally {
		await site.stop();
	}
}

if (isMain(import.meta.url)) {
	await runMain('bench-logging', () => benchLogging(cli('usage: node --import=tsx scripts/bench-logging.ts [--rounds N] [--seconds S]\nThe logging benchmark of `make bench` → out/bench-logging.json.', engineOptions)));
}
