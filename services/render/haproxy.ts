// haproxy.cfg: master-worker mode with the listening sockets handed over on reload (expose-fd listeners),
// then the HTTP, mail and RPC sections of the enabled services.
import type { Config } from '../config/schema.js';
import { RenderedText, generatedHeader } from './lines.js';
import type { RenderEnv } from './env.js';
import { renderHttpSections } from './haproxy-http.js';
import { renderMailSections } from './haproxy-mail.js';
import { renderRpcSections } from './haproxy-rpc.js';
import { globalLogLines } from './haproxy-logs.js';

export interface HaproxyInputs {
	/** What syslog.server resolved to at apply time when it is a host name (see syslogAddress). */
	readonly syslogAddress?: string | null;
}

function globalSection(config: Config, env: RenderEnv, inputs: HaproxyInputs, out: RenderedText): void {
	out.line('global');
	out.line('    master-worker');
	// A reload passes the listening sockets to the new worker through this socket: no connection refused.
	out.line(`    stats socket ${env.haproxyStatsSocket} mode 600 level admin expose-fd listeners`);
	// Status polling (the web interface): `level user` answers show commands and refuses every change.
	const access = env.haproxyUserSocketGroup === null ? 'mode 600' : `mode 660 group ${env.haproxyUserSocketGroup}`;
	out.line(`    stats socket ${env.haproxyUserSocket} ${access} level user`);
	// Server states (drain, maint, health) handed to the next haproxy on reload; see services/haproxy/state-file.ts.
	out.line(`    server-state-file ${env.haproxyStateFile}`);
	globalLogLines(config, env, inputs.syslogAddress, out);
	if (env.daemonUser !== null) out.line(`    user ${env.daemonUser.haproxy}`).line(`    group ${env.daemonUser.haproxy}`);
	// No global maxconn: haproxy derives it from the file-descriptor limit it is given (systemd's LimitNOFILE).
	// Old workers finish their sessions after a reload, but long-lived ones (RPC, IMAP IDLE) are bounded.
	out.line('    hard-stop-after 1h');
	out.blank();
}

/**
 * What every proxy inherits. The original guide's defaults are kept, or replaced as each comment says; every
 * frontend and backend sets its own client/server timeouts (per protocol), the ones here are only a fallback.
 */
function defaultsSection(out: RenderedText): void {
	out.line('defaults');
	out.line('    log global');
	// Kept: connections that send nothing (port probes, a client giving up) are not logged.
	out.line('    option dontlognull');
	// A request with an error, a timeout, a retry, a redispatch or a 5xx is logged at level err, not info:
	// `journalctl -u haproxy -p err` lists just those.
	out.line('    option log-separate-errors');
	// Kept: the bytes of long-lived sessions (Outlook Anywhere, RPC, IMAP IDLE) show in the stats as they flow.
	out.line('    option contstats');
	// Kept, retries 3 and redispatch, but every retry goes to another server (the guide's default was the last one):
	// a CAS that refuses or does not answer a connection is not serving, and retrying it a second apart kept a
	// client held there by persistence waiting (and exposed to being cut when the CAS is marked down).
	out.line('    retries 3');
	out.line('    option redispatch 1');
	// Only failed connections are retried (nothing was sent). Not empty-response/response-timeout here: Exchange
	// POSTs (EWS CreateItem, ActiveSync SendMail) are not idempotent and a replay sends a message twice; a request
	// lost on a reused keep-alive connection is already handed back to the client to retry (connection closed).
	out.line('    retry-on conn-failure');
	// NTLM/Negotiate bind the authentication to one server connection: haproxy marks such a connection private
	// (401 with WWW-Authenticate: NTLM/Negotiate) and keeps it for its client only under "safe", never under
	// http-server-close/httpclose, which this file never sets.
	out.line('    http-reuse safe');
	out.line('    load-server-state-from-file global');
	out.line('    timeout connect 5s');
	// Replaced: the guide's 600 s for everything. Each frontend and backend sets its protocol's own (a fallback here).
	out.line('    timeout client 30s');
	out.line('    timeout server 30s');
	// Kept: no server has a maxconn, so nothing queues today; with one, a client waits at most this for a slot.
	out.line('    timeout queue 60s');
	out.line('    timeout check 5s');
	// A half-closed connection (FIN sent, peer gone) does not hold a socket for a long-lived protocol's idle time.
	out.line('    timeout client-fin 30s');
	out.line('    timeout server-fin 30s');
	// Kept: room for a burst of new connections while haproxy is busy (the kernel caps it at net.core.somaxconn).
	out.line('    backlog 10000');
	out.blank();
}

export function renderHaproxy(config: Config, env: RenderEnv, inputs: HaproxyInputs = {}): RenderedText {
	const out = new RenderedText();
	out.line(generatedHeader('#')).blank();
	globalSection(config, env, inputs, out);
	defaultsSection(out);
	out.append(renderHttpSections(config, env));
	out.append(renderMailSections(config, env));
	out.append(renderRpcSections(config, env));
	return out;
}
