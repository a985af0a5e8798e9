// haproxy sections for IMAP, POP3 (to the CAS servers) and SMTP (to the HUB servers): clear, TLS passed
// through (ssl-forward) or TLS ended by stunnel (ssl-offload, PROXY protocol over a unix socket).
import type { Config, MailServiceName } from '../config/schema.js';
import { mailServiceNames } from '../config/schema.js';
import { mailModeUses } from '../config/services-in-use.js';
import { RenderedText } from './lines.js';
import { type RenderEnv, listenAddress, offloadSocket } from './env.js';
import { casPool, hubPool, serverLines, timeoutLine, mailBackend } from './haproxy-parts.js';
import { frontendLogLine } from './haproxy-logs.js';

/** Health check of a mail server: the protocol's greeting (SMTP: an EHLO exchange). */
function checkLines(config: Config, name: MailServiceName, tls: boolean, out: RenderedText): void {
	if (name === 'smtp') {
		// The SMTP "TLS" port may be SMTPS (465) or STARTTLS submission (587): pass-through is checked at layer 4.
		if (tls) out.line('    option tcp-check').line('    tcp-check connect');
		else out.line(`    option smtpchk EHLO ${config.http.hostName}`, 'http.hostName');
		return;
	}
	out.line('    option tcp-check');
	out.line(tls ? '    tcp-check connect ssl' : '    tcp-check connect');
	out.line(name === 'imap' ? '    tcp-check expect rstring ^[*][[:space:]]OK' : '    tcp-check expect string +OK');
}

function backend(config: Config, name: MailServiceName, tls: boolean, out: RenderedText): void {
	const service = config[name];
	out.line(`backend ${mailBackend(name, tls)}`).line('    mode tcp').line('    balance leastconn');
	timeoutLine(out, 'server', service.timeout, `${name}.timeout`);
	checkLines(config, name, tls, out);
	const pool = name === 'smtp' ? hubPool(config) : casPool(config);
	serverLines(out, pool, { port: tls ? service.serverSslPort : service.serverClearPort, extra: () => (tls ? 'verify none' : '') });
	out.blank();
}

function frontend(name: string, bind: string, bindField: string, timeout: number, timeoutField: string, target: string, out: RenderedText): void {
	out.line(`frontend fe_${name}`).line('    mode tcp');
	frontendLogLine('tcp', out);
	out.line(`    bind ${bind}`, bindField);
	timeoutLine(out, 'client', timeout, timeoutField);
	out.line(`    default_backend ${target}`).blank();
}

export function renderMailSections(config: Config, env: RenderEnv): RenderedText {
	const out = new RenderedText();
	for (const name of mailServiceNames) {
		const service = config[name];
		if (service.mode === 'disabled') continue;
		const uses = mailModeUses(service.mode);
		const timeoutField = `${name}.timeout`;
		if (uses.clear) frontend(name, listenAddress(env, service.virtualClearPort), `${name}.virtualClearPort`, service.timeout, timeoutField, mailBackend(name, false), out);
		if (uses.sslForward) {
			frontend(`${name}s`, listenAddress(env, service.virtualSslPort), `${name}.virtualSslPort`, service.timeout, timeoutField, mailBackend(name, true), out);
		}
		if (uses.sslOffload) {
			const offloaded = `unix@${offloadSocket(env, `${name}s`)} accept-proxy mode 666`;
			frontend(`${name}s`, offloaded, `${name}.virtualSslPort`, service.timeout, timeoutField, mailBackend(name, false), out);
		}
		if (uses.clear || uses.sslOffload) backend(config, name, false, out);
		if (uses.sslForward) backend(config, name, true, out);
	}
	return out;
}
