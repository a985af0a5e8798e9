// Engine benchmark (not a test; nothing asserted): in private network namespaces, with the engine's rendered
// configs run by its apply(), measures
//   1. requests/s through the rendered HTTP path (client → stunnel offload → haproxy → nginx CAS) against a
//      bare haproxy pass-through (HTTP mode and TCP mode) to the same nginx;
//   2. TLS handshakes/s through stunnel offload against haproxy's own TLS termination (`bind ... ssl crt`).
// Each measurement is bounded (BENCH_SECONDS, default 10 s). Writes out/bench-engine.json and prints a summary.
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startSite, type Site } from '../test/integration/harness/site.js';
import { siteConfig } from '../test/integration/harness/engine.js';
import { startDaemon } from '../test/integration/harness/daemon.js';
import { parseWrk } from '../test/integration/harness/load.js';
import { serverStatus } from '../test/integration/harness/haproxy-stats.js';
import { waitFor } from '../test/integration/harness/wait.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFile = path.join(root, 'out', 'bench-engine.json');
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

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
	const started = Date.now();
	process.stdout.write(`bench-engine: ${name}…`);
	const value = await run();
	process.stdout.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	return value;
}

/** Requests/s with wrk from the client namespace (keep-alive unless `fresh`: then one connection per request). */
async function wrk(site: Site, url: string, fresh = false): Promise<{ rps: number; requests: number; failures: number }> {
	const args = ['-t2', '-c32', `-d${seconds}s`, '--timeout', '5s', ...(fresh ? ['-H', 'Connection: close'] : []), url];
	const { stdout } = await site.lan.run('client', 'wrk', args, { timeoutMs: (seconds + 30) * 1000 });
	const result = parseWrk(url, stdout);
	const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN);
	return { rps, requests: result.requests, failures: result.failures };
}

/** Full TLS handshakes/s with `openssl s_time -new` (two clients in parallel, so the server side is the limit). */
async function handshakes(site: Site, port: number): Promise<number> {
	const one = async () => {
		const { stdout } = await site.lan.run('client', 'openssl', ['s_time', '-connect', `${site.lb}:${port}`, '-new', '-time', String(seconds)], { timeoutMs: (seconds + 30) * 1000 });
		const m = /(\d+) connections in ([\d.]+) real seconds/.exec(stdout);
		if (!m) throw new Error(`openssl s_time gave no figure:\n${stdout}`);
		return Number(m[1]) / Number(m[2]);
	};
	const [a, b] = await Promise.all([one(), one()]);
	return a + b;
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

async function main(): Promise<void> {
	const site = await step('namespaces, nginx CAS, engine', () => startSite({ cas: ['cas1'] }));
	try {
		await step('apply the rendered ssl-offload config', async () => {
			await site.engine.apply(siteConfig(site.lan, ['cas1'], [], (c) => { c.rpc.mode = 'disabled'; }));
			await waitFor('cas1 up in be_owa', async () => (await serverStatus(site.engine.statsSocket, 'be_owa', 'cas1'))?.startsWith('UP'), 30_000);
		});
		const pem = path.join(site.engine.paths.certDir, 'self-signed.pem');
		const bareFile = path.join(site.dir, 'bare-haproxy.cfg');
		await writeFile(bareFile, bareHaproxyConfig(site.lan.addr('cas1'), pem));
		const bare = await step('bare haproxy', () => startDaemon(site.lan, 'lb', 'bare-haproxy', path.join(site.dir, 'bare-haproxy.out'), 'haproxy', ['-f', bareFile],
			{ ports: [PORTS.bareHttp, PORTS.bareTcp, PORTS.haproxyTls] }));
		try {
			const url = (scheme: string, port: number) => `${scheme}://${site.lb}:${port}/owa/`;
			const rendered = await step(`rendered path, HTTPS keep-alive (${seconds} s)`, () => wrk(site, url('https', 443)));
			const bareHttp = await step(`bare haproxy HTTP (${seconds} s)`, () => wrk(site, url('http', PORTS.bareHttp)));
			const bareTcp = await step(`bare haproxy TCP (${seconds} s)`, () => wrk(site, url('http', PORTS.bareTcp)));
			const stunnelHs = await step(`TLS handshakes via stunnel (${seconds} s)`, () => handshakes(site, 443));
			const haproxyHs = await step(`TLS handshakes via haproxy ssl (${seconds} s)`, () => handshakes(site, PORTS.haproxyTls));
			const stunnelFresh = await step(`HTTPS request per new connection via stunnel (${seconds} s)`, () => wrk(site, url('https', 443), true));
			const haproxyFresh = await step(`HTTPS request per new connection via haproxy ssl (${seconds} s)`, () => wrk(site, url('https', PORTS.haproxyTls), true));
			const report = {
				measuredAt: new Date().toISOString(),
				secondsPerMeasurement: seconds,
				setup: 'network namespaces on one host (2 cores shared by client, balancer and CAS); wrk -t2 -c32; openssl s_time -new ×2',
				requestsPerSecond: {
					renderedOffloadPath: round(rendered.rps),
					bareHaproxyHttp: round(bareHttp.rps),
					bareHaproxyTcp: round(bareTcp.rps),
				},
				ratioRenderedVsBareHttp: round(rendered.rps / bareHttp.rps, 3),
				ratioRenderedVsBareTcp: round(rendered.rps / bareTcp.rps, 3),
				tlsHandshakesPerSecond: { stunnelOffload: round(stunnelHs, 1), haproxySsl: round(haproxyHs, 1) },
				ratioStunnelVsHaproxyTls: round(stunnelHs / haproxyHs, 3),
				httpsNewConnectionRequestsPerSecond: { stunnelOffload: round(stunnelFresh.rps), haproxySsl: round(haproxyFresh.rps) },
				ratioStunnelVsHaproxyNewConnections: round(stunnelFresh.rps / haproxyFresh.rps, 3),
				failedRequests: rendered.failures + bareHttp.failures + bareTcp.failures + stunnelFresh.failures + haproxyFresh.failures,
			};
			await mkdir(path.dirname(outFile), { recursive: true });
			await writeFile(outFile, JSON.stringify(report, null, 2) + '\n');
			console.log(`
engine benchmark (${seconds} s per measurement) → ${path.relative(root, outFile)}
  requests/s  rendered path (stunnel → haproxy → nginx): ${report.requestsPerSecond.renderedOffloadPath}
              bare haproxy HTTP pass-through:            ${report.requestsPerSecond.bareHaproxyHttp}   ratio ${report.ratioRenderedVsBareHttp}
              bare haproxy TCP pass-through:             ${report.requestsPerSecond.bareHaproxyTcp}   ratio ${report.ratioRenderedVsBareTcp}
  TLS handshakes/s  stunnel offload: ${report.tlsHandshakesPerSecond.stunnelOffload}   haproxy ssl: ${report.tlsHandshakesPerSecond.haproxySsl}   ratio ${report.ratioStunnelVsHaproxyTls}
  HTTPS request per new connection/s  stunnel: ${report.httpsNewConnectionRequestsPerSecond.stunnelOffload}   haproxy ssl: ${report.httpsNewConnectionRequestsPerSecond.haproxySsl}   ratio ${report.ratioStunnelVsHaproxyNewConnections}
  failed requests during the runs: ${report.failedRequests}`);
		} finally {
			await bare.stop();
		}
	} finally {
		await site.stop();
	}
}

main().catch((error: unknown) => {
	console.error(`\nbench-engine failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
	process.exitCode = 1;
});
