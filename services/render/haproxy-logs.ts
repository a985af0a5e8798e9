// haproxy's traffic logs: every HTTP request (httplog) and TCP session (tcplog) goes, when syslog.server is set, to
// that server in RFC 5424; the local log target (the journal through /dev/log on the appliance) gets the errors and
// haproxy's events, or every line too (syslog.journal).
import type { Config } from '../config/schema.js';
import { parseIpv4 } from '../config/ipv4.js';
import type { RenderedText } from './lines.js';
import type { RenderEnv } from './env.js';

/** Long enough for an ActiveSync or OWA request line; haproxy's default (1024) truncates them. */
const localLineLength = 4096;
/** RFC 5424 6.1: receivers SHOULD accept 2048 octets; longer UDP datagrams risk being dropped. */
const remoteLineLength = 2048;

/**
 * The address haproxy sends to: syslog.server when it is an address, else what the engine resolved it to before
 * rendering (haproxy would refuse to start on a name it cannot resolve), else null.
 */
export function syslogAddress(config: Config, resolved: string | null | undefined): string | null {
	const { server } = config.syslog;
	if (server === '') return null;
	return parseIpv4(server) !== null ? server : resolved ?? null;
}

export function globalLogLines(config: Config, env: RenderEnv, resolved: string | null | undefined, out: RenderedText): void {
	// "format local" (no host name) is what journald parses on /dev/log; it must be explicit once log-send-hostname is set.
	// Storing a line costs journald about as much as haproxy's whole handling of a small request, so by default the
	// journal keeps what is logged at notice or above: failed requests (err, option log-separate-errors) and events.
	const level = config.syslog.journal === 'all' ? '' : ' notice';
	if (env.logTarget !== null) out.line(`    log ${env.logTarget} len ${localLineLength} format local local0${level}`, 'syslog.journal');
	const { server, protocol, port } = config.syslog;
	if (server === '') return;
	const address = syslogAddress(config, resolved);
	if (address === null) {
		out.line(`    # syslog.server ${server} did not resolve when this file was rendered: logs are not forwarded`, 'syslog.server');
		return;
	}
	// TCP goes through an implicit ring buffer: a slow or absent server never blocks the traffic.
	out.line(`    log ${protocol}@${address}:${port} len ${remoteLineLength} format rfc5424 local0`, 'syslog.server');
	// Names this node in the forwarded messages (both nodes of a pair send to the same server).
	out.line(`    log-send-hostname ${config.network.hostname}`, 'network.hostname');
}

/** The per-frontend log format: haproxy's httplog (frontend, backend/server, timers, status, termination state) or tcplog. */
export function frontendLogLine(mode: 'http' | 'tcp', out: RenderedText): void {
	out.line(mode === 'http' ? '    option httplog' : '    option tcplog');
}
