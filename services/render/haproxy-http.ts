// haproxy sections for the HTTP(S) services: ssl-offload (stunnel → per-service HTTP backends with
// Exchange persistence and health checks) or ssl-forward (TLS passed through to the CAS HTTPS port).
import type { Config } from '../config/schema.js';
import { RenderedText } from './lines.js';
import { type RenderEnv, listenAddress, offloadSocket } from './env.js';
import { httpServiceSpecs, healthPage2013, casCookieName, type HttpServiceSpec } from './exchange-http.js';
import { casPool, serverLines, timeoutLine, exchange2010Status, stickTableLimits, forwardBackend } from './haproxy-parts.js';
import { serviceIdle, longestIdle, longIdleServices } from './exchange-timeouts.js';
import { frontendLogLine } from './haproxy-logs.js';

/** The HTTP services rendered for this config (MAPI only with 2013+). */
export function activeHttpServices(config: Config): HttpServiceSpec[] {
	if (config.http.mode === 'disabled') return [];
	return httpServiceSpecs.filter((spec) => config.http.services[spec.name] && (!spec.only2013 || config.exchangeVersion === '2013+'));
}

function healthCheck(config: Config, spec: HttpServiceSpec): { send: string; expect: string } {
	const host = config.http.hostName;
	if (config.exchangeVersion === '2013+') {
		return { send: `meth GET uri ${healthPage2013(spec)} ver HTTP/1.1 hdr Host ${host}`, expect: 'status 200' };
	}
	return { send: `meth ${spec.check2010.method} uri ${spec.check2010.uri} ver HTTP/1.1 hdr Host ${host}`, expect: exchange2010Status };
}

/**
 * On reload the old worker would close idle keep-alive connections at once, racing a client's next request
 * (seen as read errors by clients, through stunnel too); with this it answers that request with
 * "Connection: close" instead, so the client reconnects to the new worker and loses nothing.
 */
function idleCloseOnResponse(out: RenderedText): void {
	out.line('    option idle-close-on-response');
}

/** Replaced the guide's 15 s: the whole request head must arrive within this (a slow-header client is cut). */
const requestHeadTimeout = '    timeout http-request 10s';

function redirectFrontend(config: Config, env: RenderEnv, out: RenderedText): void {
	const { hostName, virtualHttpsPort, redirectHttpPort, timeout } = config.http;
	const target = virtualHttpsPort === 443 ? `https://${hostName}` : `https://${hostName}:${virtualHttpsPort}`;
	out.line('frontend fe_http_redirect').line('    mode http');
	frontendLogLine('http', out);
	idleCloseOnResponse(out);
	out.line(`    bind ${listenAddress(env, redirectHttpPort)}`, 'http.redirectHttpPort');
	timeoutLine(out, 'client', timeout, 'http.timeout');
	out.line(requestHeadTimeout);
	out.line(`    http-request redirect prefix ${target} code 301`, 'http.hostName');
	out.blank();
}

/**
 * Client-side idle timeouts of the shared HTTPS frontend. haproxy's client timeout is per frontend, so it is the
 * short one (http.timeout, for OWA, ECP, OAB, Autodiscover and between requests), and each long-lived service's
 * requests raise it for themselves: a client may pause inside its request (Outlook Anywhere's RPC_IN_DATA body
 * between keep-alives) as long as its protocol allows. Waiting for the CAS's answer is the server timeout's job.
 */
function offloadClientTimeouts(config: Config, out: RenderedText): void {
	timeoutLine(out, 'client', config.http.timeout, 'http.timeout');
	out.line(`    timeout http-keep-alive ${config.http.timeout}s`, 'http.timeout');
	out.line(requestHeadTimeout);
}

function longClientTimeoutLines(config: Config, services: HttpServiceSpec[], out: RenderedText): void {
	for (const spec of services) {
		if (longIdleServices[spec.name] === undefined) continue;
		out.line(`    http-request set-timeout client ${serviceIdle(config, spec.name).seconds}s if is_${spec.name}`, `http.services.${spec.name}`);
	}
}

function offloadFrontend(config: Config, env: RenderEnv, services: HttpServiceSpec[], out: RenderedText): void {
	out.line('frontend fe_https').line('    mode http');
	frontendLogLine('http', out);
	idleCloseOnResponse(out);
	// stunnel terminates TLS and hands over the connection with a PROXY header carrying the client's address.
	out.line(`    bind unix@${offloadSocket(env, 'https')} accept-proxy mode 666`, 'http.virtualHttpsPort');
	offloadClientTimeouts(config, out);
	out.line('    option forwardfor');
	out.line('    http-request set-header X-Forwarded-Proto https');
	if (services.some((spec) => spec.name === 'owa')) out.line('    http-request redirect location /owa/ code 302 if { path / }', 'http.services.owa');
	for (const spec of services) {
		for (const prefix of spec.paths) {
			out.line(`    acl is_${spec.name} path -i ${prefix}`, `http.services.${spec.name}`);
			out.line(`    acl is_${spec.name} path_beg -i ${prefix}/`, `http.services.${spec.name}`);
		}
	}
	longClientTimeoutLines(config, services, out);
	for (const spec of services) out.line(`    use_backend ${spec.backend} if is_${spec.name}`, `http.services.${spec.name}`);
	out.blank();
}

function persistenceLines(config: Config, spec: HttpServiceSpec, out: RenderedText): void {
	if (config.exchangeVersion !== '2010') return;
	switch (spec.persistence2010) {
		case 'cookie':
			out.line(`    cookie ${casCookieName} insert indirect nocache httponly secure`);
			break;
		case 'authorization':
			out.line(`    stick-table type string len 256 ${stickTableLimits}`);
			out.line('    stick on req.hdr(Authorization)');
			break;
		case 'source':
			out.line(`    stick-table type ip ${stickTableLimits}`);
			out.line('    stick on src');
			break;
		case 'none':
			break;
	}
}

function offloadBackend(config: Config, spec: HttpServiceSpec, out: RenderedText): void {
	const check = healthCheck(config, spec);
	const idle = serviceIdle(config, spec.name);
	out.line(`backend ${spec.backend}`).line('    mode http').line('    balance leastconn');
	// How long the CAS may stay silent: a long poll's wait, or a request/response service's answer (http.timeout).
	timeoutLine(out, 'server', idle.seconds, idle.field);
	// Read-only requests are also sent again, to another CAS, when a CAS closes without answering or answers 503.
	if (spec.replaySafe) out.line('    retry-on conn-failure empty-response 503');
	persistenceLines(config, spec, out);
	out.line('    option httpchk');
	out.line(`    http-check send ${check.send}`, 'http.hostName');
	out.line(`    http-check expect ${check.expect}`);
	const cookie = config.exchangeVersion === '2010' && spec.persistence2010 === 'cookie';
	serverLines(out, casPool(config), { port: config.http.casHttpPort, extra: (name) => (cookie ? `cookie ${name}` : '') });
	out.blank();
}

function forwardSections(config: Config, env: RenderEnv, services: HttpServiceSpec[], out: RenderedText): void {
	// Inside TLS the services cannot be told apart: every connection gets the longest idle time of the enabled ones.
	const idle = longestIdle(config, services.map((spec) => spec.name));
	out.line('frontend fe_https').line('    mode tcp');
	frontendLogLine('tcp', out);
	out.line(`    bind ${listenAddress(env, config.http.virtualHttpsPort)}`, 'http.virtualHttpsPort');
	timeoutLine(out, 'client', idle.seconds, idle.field);
	out.line(`    default_backend ${forwardBackend}`).blank();
	out.line(`backend ${forwardBackend}`).line('    mode tcp').line('    balance leastconn');
	timeoutLine(out, 'server', idle.seconds, idle.field);
	// The traffic stays encrypted: persistence can only follow the client's address (2010).
	if (config.exchangeVersion === '2010') out.line(`    stick-table type ip ${stickTableLimits}`).line('    stick on src');
	out.line('    option httpchk');
	// One TLS connection per enabled service: a CAS is up only when every published service answers.
	for (const spec of services) {
		const check = healthCheck(config, spec);
		out.line(`    http-check connect ssl sni str(${config.http.hostName})`, 'http.hostName');
		out.line(`    http-check send ${check.send}`, 'http.hostName');
		out.line(`    http-check expect ${check.expect}`, `http.services.${spec.name}`);
	}
	serverLines(out, casPool(config), { port: config.http.casHttpsPort, extra: () => 'verify none' });
	out.blank();
}

export function renderHttpSections(config: Config, env: RenderEnv): RenderedText {
	const out = new RenderedText();
	const services = activeHttpServices(config);
	if (services.length === 0) return out;
	redirectFrontend(config, env, out);
	if (config.http.mode === 'ssl-offload') {
		offloadFrontend(config, env, services, out);
		for (const spec of services) offloadBackend(config, spec, out);
	} else {
		forwardSections(config, env, services, out);
	}
	return out;
}
