// Engine benchmark (not a test; nothing asserted): in private network namespaces, with the engine's rendered
// configs run by its apply(), measures
//   1. requests/s through the rendered HTTP path (client → stunnel offload → haproxy → nginx CAS) against a
//      bare haproxy pass-through (HTTP mode and TCP mode) to the same nginx;
//   2. TLS handshakes/s through stunnel offload against haproxy's own TLS termination (`bind ... ssl crt`).
// Each measurement is bounded (--seconds, default 5), repeated --rounds times (default 3), medians reported.
// Writes out/bench-engine.json and prints a summary. Part of `make bench` (scripts/bench.ts), or alone:
//   node --import=tsx scripts/bench-engine.ts [--rounds N] [--seconds S]
import os from 'node:os';
import { echo, fs, path } from 'zx';
import { startSite, type Site } from '../test/integration/harness/site.js';
import { siteConfig } from '../test/integration/harness/engine.js';
import { startDaemon } from '../test/integration/harness/daemon.js';
import { startLoad } from '../test/integration/harness/load.js';
import { wrk } from './lib/wrk.js';
import { generateSelfSigned } from '../services/certs/self-signed.js';
import { importPem } from '../services/certs/import.js';
import type { CertificateInfo } from '../services/config/schema.js';
import { serverStatus } from '../test/integration/harness/haproxy-stats.js';
import { waitFor } from '../services/apply/wait.js';
import { repoRoot } from '../test/helpers/image-artifacts.js';
import '../test/helpers/use-shipped-daemons.js'; // measure the image's haproxy/stunnel, not the host's
import { cli, isMain, runMain, type Values } from './lib/args.js';
import { engineOptions } from './lib/bench-options.js';
import { task } from './lib/progress.js';
import { median, reportHeader, round } from './lib/stats.js';

const outFile = path.join(repoRoot, 'out', 'bench-engine.json');
const PORTS = { bareHttp: 8080, bareTcp: 8081, haproxyTls: 9443 } as const;

function bareHaproxyConfig(cas: string, pem: string): string {
	return `global
    nbthread 2
defaults
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend bare_http
    mode http
    bind :${PORTS.bareHttp}
    default_backend nginx_http
frontend bare_tcp
    mode tcp
    bind :${PORTS.bareTcp}
    default_backend nginx_tcp
frontend haproxy_tls
    mode http
    bind :${PORTS.haproxyTls} ssl crt ${pem}
    default_backend nginx_http
backend nginx_http
    mode http
    server cas1 ${cas}:80
backend nginx_tcp
    mode tcp
    server cas1 ${cas}:80
`;
}

const step = <T>(name: string, run: () => Promise<T>): Promise<T> => task(`bench-engine: ${name}`, run);

/** Full TLS handshakes/s with `openssl s_time -new` (two clients in parallel, so the server side is the limit). */
async function handshakes(site: Site, seconds: number, port: number): Promise<number> {
	const one = async () => {
		const { stdout } = await site.lan.run('client', 'openssl', ['s_time', '-connect', `${site.lb}:${port}`, '-new', '-time', String(seconds)], { timeoutMs: (seconds + 30) * 1000 });
		const m = /(\d+) connections in ([\d.]+) real seconds/.exec(stdout);
		if (!m) throw new Error(`openssl s_time gave no figure:\n${stdout}`);
		return Number(m[1]) / Number(m[2]);
	};
	const [a, b] = await Promise.all([one(), one()]);
	return a + b;
}

/** Applies `count` configs that alternate the HTTPS offload certificate while wrk runs; counts failures. */
async function certificateSwapsUnderLoad(site: Site, count: number) {
	const certs: CertificateInfo[] = [];
	await fs.mkdirp(site.engine.paths.certDir);
	for (const name of ['bench-a', 'bench-b']) {
		const generated = path.join(site.dir, `${name}.pem`);
		await generateSelfSigned(`${name}.exlb.test`, generated);
		const imported = await importPem(name, await fs.readFile(generated, 'utf8'));
		await fs.writeFile(path.join(site.engine.paths.certDir, `${name}.pem`), imported.pem, { mode: 0o600 });
		certs.push(imported.info);
	}
	const config = (i: number) => siteConfig(site.lan, ['cas1'], [], (c) => { c.rpc.mode = 'disabled'; c.certificates = certs; c.http.certificate = certs[i % 2]!.name; });
	await site.engine.apply(config(0));
	const keepAlive = startLoad(site.lan, 'keep-alive', `https://${site.lb}/owa/`, { connections: 4 });
	const fresh = startLoad(site.lan, 'new connections', `https://${site.lb}/owa/`, { connections: 2, newConnections: true });
	for (let i = 1; i <= count; i++) await site.engine.apply(config(i));
	const [k, n] = await Promise.all([keepAlive.stop(), fresh.stop()]);
	return { applies: count, newConnectionRequests: n.requests, failedNewConnections: n.failures, keepAliveRequests: k.requests, failedKeepAlive: k.failures };
}

export async function benchEngine({ rounds, seconds }: Values<typeof engineOptions>): Promise<void> {
	const loadAtStart = os.loadavg().map((x) => round(x, 2));
	const site = await step('namespaces, nginx CAS, engine', () => startSite({ cas: ['cas1'] }));
	try {
		await step('apply the rendered ssl-offload config', async () => {
			await site.engine.apply(siteConfig(site.lan, ['cas1'], [], (c) => { c.rpc.mode = 'disabled'; }));
			await waitFor('cas1 up in be_owa', 30_000, async () => (await serverStatus(site.engine.statsSocket, 'be_owa', 'cas1'))?.startsWith('UP'), 100);
		});
		const pem = path.join(site.engine.paths.certDir, 'self-signed.pem');
		const bareFile = path.join(site.dir, 'bare-haproxy.cfg');
		await fs.writeFile(bareFile, bareHaproxyConfig(site.lan.addr('cas1'), pem));
		const bare = await step('bare haproxy', () => startDaemon(site.lan, 'lb', 'bare-haproxy', path.join(site.dir, 'bare-haproxy.out'), 'haproxy', ['-f', bareFile],
			{ ports: [PORTS.bareHttp, PORTS.bareTcp, PORTS.haproxyTls] }));
		try {
			const url = (scheme: string, port: number) => `${scheme}://${site.lb}:${port}/owa/`;
			const measurements = {
				rendered: () => wrk(site.lan, seconds, url('https', 443)),
				bareHttp: () => wrk(site.lan, seconds, url('http', PORTS.bareHttp)),
				bareTcp: () => wrk(site.lan, seconds, url('http', PORTS.bareTcp)),
				stunnelHandshakes: () => handshakes(site, seconds, 443),
				haproxyHandshakes: () => handshakes(site, seconds, PORTS.haproxyTls),
				stunnelFresh: () => wrk(site.lan, seconds, url('https', 443), true),
				haproxyFresh: () => wrk(site.lan, seconds, url('https', PORTS.haproxyTls), true),
			};
			type Name = keyof typeof measurements;
			const samples = new Map<Name, number[]>();
			let failedRequests = 0;
			// Rounds interleave the measurements so a change in the machine's background load hits all of them alike.
			for (let r = 1; r <= rounds; r++) {
				for (const [name, measure] of Object.entries(measurements) as [Name, () => Promise<number | { rps: number; failures: number }>][]) {
					const value = await step(`round ${r}/${rounds}: ${name} (${seconds} s)`, measure);
					const figure = typeof value === 'number' ? value : value.rps;
					if (typeof value !== 'number') failedRequests += value.failures;
					samples.set(name, [...(samples.get(name) ?? []), figure]);
				}
			}
			const m = (name: Name) => median(samples.get(name)!);
			const certSwap = await step('HTTPS certificate replaced 5 times under load', () => certificateSwapsUnderLoad(site, 5));
			const report = {
				...reportHeader({ seconds, rounds, loadAtStart, setup: 'network namespaces on one host (its cores shared by client, balancer and CAS); wrk -t2 -c32; openssl s_time -new ×2; medians of the rounds' }),
				requestsPerSecond: { renderedOffloadPath: round(m('rendered')), bareHaproxyHttp: round(m('bareHttp')), bareHaproxyTcp: round(m('bareTcp')) },
				ratioRenderedVsBareHttp: round(m('rendered') / m('bareHttp'), 3),
				ratioRenderedVsBareTcp: round(m('rendered') / m('bareTcp'), 3),
				tlsHandshakesPerSecond: { stunnelOffload: round(m('stunnelHandshakes'), 1), haproxySsl: round(m('haproxyHandshakes'), 1) },
				ratioStunnelVsHaproxyTls: round(m('stunnelHandshakes') / m('haproxyHandshakes'), 3),
				httpsNewConnectionRequestsPerSecond: { stunnelOffload: round(m('stunnelFresh')), haproxySsl: round(m('haproxyFresh')) },
				ratioStunnelVsHaproxyNewConnections: round(m('stunnelFresh') / m('haproxyFresh'), 3),
				samples: Object.fromEntries([...samples].map(([name, values]) => [name, values.map((v) => round(v, 1))])),
				failedRequests,
				// Replacing the offload certificate reloads stunnel, which re-binds its port: not asserted, reported.
				httpsCertificateReplacementUnderLoad: certSwap,
			};
			await fs.outputFile(outFile, JSON.stringify(report, null, 2) + '\n');
			echo(`
engine benchmark (medians of ${rounds} rounds, ${seconds} s per measurement, load average at start ${loadAtStart.join(' ')}) → ${path.relative(repoRoot, outFile)}
  requests/s  rendered path (stunnel → haproxy → nginx): ${report.requestsPerSecond.renderedOffloadPath}
              bare haproxy HTTP pass-through:            ${report.requestsPerSecond.bareHaproxyHttp}   ratio ${report.ratioRenderedVsBareHttp}
              bare haproxy TCP pass-through:             ${report.requestsPerSecond.bareHaproxyTcp}   ratio ${report.ratioRenderedVsBareTcp}
  TLS handshakes/s  stunnel offload: ${report.tlsHandshakesPerSecond.stunnelOffload}   haproxy ssl: ${report.tlsHandshakesPerSecond.haproxySsl}   ratio ${report.ratioStunnelVsHaproxyTls}
  HTTPS request per new connection/s  stunnel: ${report.httpsNewConnectionRequestsPerSecond.stunnelOffload}   haproxy ssl: ${report.httpsNewConnectionRequestsPerSecond.haproxySsl}   ratio ${report.ratioStunnelVsHaproxyNewConnections}
  failed requests during the runs: ${report.failedRequests}
  HTTPS certificate replaced ${certSwap.applies}× under load: ${certSwap.failedNewConnections} of ${certSwap.newConnectionRequests} new-connection requests failed, ${certSwap.failedKeepAlive} of ${certSwap.keepAliveRequests} kept-alive`);
		} finally {
			await bare.stop();
		}
	} finally {
		await site.stop();
	}
}

if (isMain(import.meta.url)) {
	await runMain('bench-engine', () => benchEngine(cli('usage: node --import=tsx scripts/bench-engine.ts [--rounds N] [--seconds S]\nThe engine benchmark of `make bench` → out/bench-engine.json.', engineOptions)));
}
