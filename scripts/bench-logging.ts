// Logging benchmark (not a test; nothing asserted): requests/s of the rendered offload path (client → stunnel →
// haproxy → nginx CAS, kept-alive HTTPS, wrk) with haproxy's traffic logs
//   off        no log target, no syslog.server;
//   errors     the factory settings: the image's own systemd-journald (configured as the appliance's: volatile,
//              bounded, rate-limited) through /dev/log gets failed requests and events (syslog.journal errors);
//   errorsUdp  the same, and every request forwarded in RFC 5424 over UDP to syslog.server, read there by a sink
//              (socat to /dev/null: the syslog server is another machine);
//   errorsTcp  the same over TCP (an in-memory ring, sent in batches);
//   all        every request to the journal (syslog.journal all); allUdp the same and syslog over UDP.
// Each variant has its own engine, one running at a time, in turns, --rounds times; medians reported. Besides
// requests/s (which the host's other work moves a lot), the CPU time the balancer's namespace spends per request,
// by process (haproxy, stunnel4, systemd-journal): the appliance's capacity is its inverse.
// Writes out/bench-logging.json. Part of `make bench` (scripts/bench.ts), or alone:
//   node --import=tsx scripts/bench-logging.ts [--rounds N] [--seconds S]
import os from 'node:os';
import { echo, fs, path } from 'zx';
import { startSite, type Site } from '../test/integration/harness/site.js';
import { siteConfig, startEngine, type EngineUnderTest } from '../test/integration/harness/engine.js';
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
import { sampleCpu, cpuSecondsBetween } from './lib/cpu.js';
import { startJournald } from './lib/journald.js';
import { unitCgroup, type UnitCgroup } from './lib/unit-cgroup.js';

const outFile = path.join(repoRoot, 'out', 'bench-logging.json');
/** Ports of the syslog server's sinks (in their own namespace). */
const REMOTE_PORTS = { udp: 514, tcp: 601 } as const;

const step = <T>(name: string, run: () => Promise<T>): Promise<T> => task(`bench-logging: ${name}`, run);

interface Figures {
	readonly rps: number;
	readonly requests: number;
	readonly failures: number;
	/** CPU microseconds the balancer's namespace spent per request, in all and per command (haproxy, stunnel4, socat). */
	readonly cpuPerRequest: number;
	readonly cpuPerRequestBy: Record<string, number>;
}

/** Requests/s of kept-alive HTTPS through the engine that runs now, and the CPU time per request of the balancer
 * (the lb namespace and `helpers`, journald). */
async function measure(site: Site, engine: EngineUnderTest, config: Config, seconds: number, helpers: readonly number[], unit: UnitCgroup): Promise<Figures> {
	await engine.apply(config);
	await waitFor('cas1 up in be_owa', 30_000, async () => (await serverStatus(engine.statsSocket, 'be_owa', 'cas1'))?.startsWith('UP'), 100);
	try {
		// journald rate-limits per unit: haproxy's processes go where haproxy.service's would be.
		await unit.adopt([...(await sampleCpu(site.lan.ns('lb')))].filter(([, p]) => p.command === 'haproxy').map(([pid]) => pid));
		const before = await sampleCpu(site.lan.ns('lb'), helpers);
		const figures = await wrk(site.lan, seconds, `https://${site.lb}/owa/`);
		const perCommand = cpuSecondsBetween(before, await sampleCpu(site.lan.ns('lb'), helpers));
		const perRequest = (used: number) => (used * 1e6) / figures.requests;
		const cpuPerRequestBy = Object.fromEntries([...perCommand].map(([command, used]) => [command, perRequest(used)]));
		return { ...figures, cpuPerRequest: perRequest([...perCommand.values()].reduce((sum, used) => sum + used, 0)), cpuPerRequestBy };
	} finally {
		await engine.stop();
	}
}

/** socat reading datagrams from `from` (a socat address) into `to` (a file, /dev/null to drop them), in `host`'s namespace. */
async function startSocat(site: Site, host: string, name: string, from: string, to: string): Promise<void> {
	await startDaemon(site.lan, host, name, path.join(site.dir, `${name}.out`), 'socat', ['-u', from, to], { ports: [] });
}

export async function benchLogging({ rounds, seconds }: Values<typeof engineOptions>): Promise<void> {
	const loadAtStart = os.loadavg().map((x) => round(x, 2));
	const site = await step('namespaces, nginx CAS, journald, syslog sinks', () => startSite({ cas: ['cas1'], extraHosts: ['syslog'] }));
	const stops: (() => Promise<void>)[] = [];
	try {
		const journald = await startJournald(site.dir);
		stops.push(() => journald.stop());
		const unit = await unitCgroup(`exlbbench${process.pid}`, 'haproxy.service');
		stops.push(() => unit.remove());
		await startSocat(site, 'syslog', 'remote-udp-sink', `UDP4-RECV:${REMOTE_PORTS.udp}`, '/dev/null');
		await startSocat(site, 'syslog', 'remote-tcp-sink', `TCP4-LISTEN:${REMOTE_PORTS.tcp},fork,reuseaddr`, '/dev/null');
		const config = (journal: Config['syslog']['journal'], protocol?: 'udp' | 'tcp') => siteConfig(site.lan, ['cas1'], [], (c) => {
			c.rpc.mode = 'disabled';
			c.syslog.journal = journal;
			if (protocol !== undefined) Object.assign(c.syslog, { server: site.lan.addr('syslog'), protocol, port: REMOTE_PORTS[protocol] });
		});
		const logged = await startEngine(site.lan, path.join(site.dir, 'lb-logged'), 'lb', { logTarget: journald.devLog });
		const variants = {
			off: { engine: site.engine, config: config('errors'), label: 'logging off (no log target, no syslog server)' },
			errors: { engine: logged, config: config('errors'), label: 'journal: errors and events (factory settings)' },
			errorsUdp: { engine: logged, config: config('errors', 'udp'), label: 'journal errors, every line to syslog over UDP' },
			errorsTcp: { engine: logged, config: config('errors', 'tcp'), label: 'journal errors, every line to syslog over TCP' },
			all: { engine: logged, config: config('all'), label: 'journal: every request (syslog.journal all)' },
			allUdp: { engine: logged, config: config('all', 'udp'), label: 'journal every request, and syslog over UDP' },
		};
		type Name = keyof typeof variants;
		const perVariant = <T>(make: () => T) => Object.fromEntries(Object.keys(variants).map((name) => [name, make()])) as Record<Name, T>;
		const samples = perVariant<number[]>(() => []);
		const cpuSamples = perVariant<number[]>(() => []);
		const byCommand = perVariant<Record<string, number[]>>(() => ({}));
		let requestsLoggedThere = 0;
		let failedRequests = 0;
		// Rounds alternate the variants so a change in the machine's background load hits them alike.
		for (let r = 1; r <= rounds; r++) {
			for (const [name, { engine: running, config: applied }] of Object.entries(variants) as [Name, (typeof variants)[Name]][]) {
				await journald.ensureRunning();
				const figures = await step(`round ${r}/${rounds}: logging ${name} (${seconds} s)`, () => measure(site, running, applied, seconds, [journald.child.pid!], unit));
				samples[name].push(figures.rps);
				cpuSamples[name].push(figures.cpuPerRequest);
				for (const [command, used] of Object.entries(figures.cpuPerRequestBy)) (byCommand[name][command] ??= []).push(used);
				failedRequests += figures.failures;
				if (name === 'all' || name === 'allUdp') requestsLoggedThere += figures.requests;
			}
		}
		const m = (name: Name) => median(samples[name]);
		const cost = (name: Name) => round((1 - m(name) / m('off')) * 100, 1);
		const cpu = (name: Name) => median(cpuSamples[name]);
		// Capacity lost to logging: the balancer serves 1/cpuPerRequest requests per CPU second.
		const capacityCost = (name: Name) => round((1 - cpu('off') / cpu(name)) * 100, 1);
		const names = Object.keys(variants) as Name[];
		const perName = <T>(value: (name: Name) => T) => Object.fromEntries(names.map((name) => [name, value(name)])) as Record<Name, T>;
		const report = {
			...reportHeader({ seconds, rounds, loadAtStart, setup: 'network namespaces on one host (its cores shared by client, balancer, CAS and receivers); wrk -t2 -c32 kept-alive HTTPS to /owa/; medians of the rounds' }),
			variants: perName((name) => variants[name].label),
			requestsPerSecond: perName((name) => round(m(name))),
			costPercent: perName(cost),
			balancerCpuMicrosecondsPerRequest: perName((name) => round(cpu(name), 1)),
			capacityCostPercent: perName(capacityCost),
			balancerCpuMicrosecondsPerRequestBy: Object.fromEntries(Object.entries(byCommand).map(([name, commands]) => [name, Object.fromEntries(Object.entries(commands).map(([command, values]) => [command, round(median(values), 1)]))])),
			// Request lines still in the journal at the end, against the requests logged there: journald stores at most
			// its rate limit, and keeps its latest 32 MiB.
			journal: { requestsLoggedThere, linesStored: await journald.countStored('fe_https be_owa/cas1') },
			samples: Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, values.map((v) => round(v, 1))])),
			cpuSamples: Object.fromEntries(Object.entries(cpuSamples).map(([name, values]) => [name, values.map((v) => round(v, 1))])),
			failedRequests,
		};
		await fs.outputFile(outFile, JSON.stringify(report, null, 2) + '\n');
		const table = names.map((name) => `  ${variants[name].label.padEnd(52)} ${String(report.requestsPerSecond[name]).padStart(6)} req/s (${report.costPercent[name]} %)  ${report.balancerCpuMicrosecondsPerRequest[name]} µs/request (capacity ${report.capacityCostPercent[name]} %)  ${Object.entries(report.balancerCpuMicrosecondsPerRequestBy[name] ?? {}).map(([command, used]) => `${command} ${used}`).join(', ')}`);
		echo(`
logging benchmark (medians of ${rounds} rounds, ${seconds} s per measurement, load average at start ${loadAtStart.join(' ')}) → ${path.relative(repoRoot, outFile)}
  requests/s of the offload path (cost against logging off), balancer CPU per request (capacity cost), per process:
${table.join('\n')}
  journal: ${report.journal.linesStored} request lines kept at the end for ${requestsLoggedThere} requests logged there (rate limit, size bound); failed requests: ${failedRequests}`);
	} finally {
		await site.stop();
		for (const stop of stops.reverse()) await stop();
	}
}

if (isMain(import.meta.url)) {
	await runMain('bench-logging', () => benchLogging(cli('usage: node --import=tsx scripts/bench-logging.ts [--rounds N] [--seconds S]\nThe logging benchmark of `make bench` → out/bench-logging.json.', engineOptions)));
}
