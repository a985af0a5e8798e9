// haproxy.cfg: master-worker mode with the listening sockets handed over on reload (expose-fd listeners),
// then the HTTP, mail and RPC sections of the enabled services.
import type { Config } from '../config/schema.js';
import { RenderedText, generatedHeader } from './lines.js';
import type { RenderEnv } from './env.js';
import { renderHttpSections } from './haproxy-http.js';
import { renderMailSections } from './haproxy-mail.js';
import { renderRpcSections } from './haproxy-rpc.js';

function globalSection(env: RenderEnv, out: RenderedText): void {
	out.line('global');
	out.line('    master-worker');
	// A reload passes the listening sockets to the new worker through this socket: no connection refused.
	out.line(`    stats socket ${env.haproxyStatsSocket} mode 600 level admin expose-fd listeners`);
	// Status polling (the web interface): `level user` answers show commands and refuses every change.
	const access = env.haproxyUserSocketGroup === null ? 'mode 600' : `mode 660 group ${env.haproxyUserSocketGroup}`;
	out.line(`    stats socket ${env.haproxyUserSocket} ${access} level user`);
	// Server states (drain, maint, health) handed to the next haproxy on reload; see services/haproxy/state-file.ts.
	out.line(`    server-state-file ${env.haproxyStateFile}`);
	if (env.logTarget !== null) out.line(`    log ${env.logTarget} local0`);
	if (env.daemonUser !== null) out.line(`    user ${env.daemonUser.haproxy}`).line(`    group ${env.daemonUser.haproxy}`);
	// No global maxconn: haproxy derives it from the file-descriptor limit it is given (systemd's LimitNOFILE).
	// Old workers finish their sessions after a reload, but long-lived ones (RPC, IMAP IDLE) are bounded.
	out.line('    hard-stop-after 1h');
	out.blank();
}

function defaultsSection(out: RenderedText): void {
	out.line('defaults');
	out.line('    log global');
	out.line('    option dontlognull');
	out.line('    load-server-state-from-file global');
	out.line('    timeout connect 5s');
	out.line('    timeout client 30s');
	out.line('    timeout server 30s');
	out.line('    timeout check 5s');
	out.blank();
}

export function renderHaproxy(config: Config, env: RenderEnv): RenderedText {
	const out = new RenderedText();
	out.line(generatedHeader('#')).blank();
	globalSection(env, out);
	defaultsSection(out);
	out.append(renderHttpSections(config, env));
	out.append(renderMailSections(config, env));
	out.append(renderRpcSections(config, env));
	return out;
}
