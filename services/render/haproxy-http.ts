// haproxy sections for the HTTP(S) services: ssl-offload (stunnel → per-service HTTP backends with
// Exchange persistence and health checks) or ssl-forward (TLS passed through to the CAS HTTPS port).
import type { Config } from '../config/schema.js';
import { RenderedText } from './lines.js';
import { type RenderEnv, listenAddress, offloadSocket } from './env.js';
import { httpServiceSpecs, healthPage2013, casCookieName, type HttpServiceSpec } from './exchange-http.js';
import { casPool, serverLines, timeoutLine, exchange2010Status, stickTableLimits, forwardBackend } from './haproxy-parts.js';

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

function redirectFrontend(config: Config, env: RenderEnv, out: RenderedText): void {
	const { hostName, virtualHttpsPort, redirectHttpPort, timeout } = config.http;
	const target = virtualHttpsPort === 443 ? `https://${hostName}` : `https://${hostName}:${virtualHttpsPort}`;
	out.line('frontend fe_http_redirect').line('    mode http');
	idleCloseOnResponse(out);
	out.line(`    bind ${listenAddress(env, redirectHttpPort)}`, 'http.redirectHttpPort');
	timeoutLine(out, 'client', timeout, 'http.timeout');
	out.line(`    http-request redirect prefix ${target} code 301`, 'http.hostName');
	out.blank();
}

function offloadFrontend(config: Config, env: RenderEnv, services: HttpServiceSpec[], out: RenderedText): void {
	out.line('frontend fe_https').line('    mode http');
	idleCloseOnResponse(out);
	// stunnel terminates TLS and hands over the connection with a PROXY header carrying the client's address.
	out.line(`    bind unix@${offloadSocket(env, 'https')} accept-proxy mode 666`, 'http.virtualHttpsPort');
	timeoutLine(out, 'client', config.http.timeout, 'http.timeout');
	out.line('    timeout http-request 10s');
	out.line('    option forwardfor');
	out.line('    http-request set-header X-Forwarded-Proto https');
	if (services.some((spec) => spec.name === 'owa')) out.line('    http-request redirect location /owa/ code 302 if { path / }', 'http.services.owa');
	for (const spec of services) {
		for (const prefix of spec.paths) {
			out.line(`    acl is_${spec.name} path -i ${prefix}`, `http.services.${spec.name}`);
			out.line(`    acl is_${spec.name} path_beg -i ${prefix}/`, `http.services.${spec.name}`);
		}
	}
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
	out.line(`backend ${spec.backend}`).line('    mode http').line('    balance leastconn');
	timeoutLine(out, 'server', config.http.timeout, 'http.timeout');
	persistenceLines(config, spec, out);
	out.line('    option httpchk');
	out.line(`    http-check send ${check.send}`, 'http.hostName');
	out.line(`    http-check expect ${check.expect}`);
	const cookie = config.exchangeVersion === '2010' && spec.persistence2010 === 'cookie';
	serverLines(out, casPool(config), { port: config.http.casHttpPort, extra: (name) => (cookie ? `cookie ${name}` : '') });
	out.blank();
}

function forwardSections(config: Config, env: RenderEnv, services: HttpServiceSpec[], out: RenderedText): void {
	out.line('frontend fe_https').line('    mode tcp');
	out.line(`    bind ${listenAddress(env, config.http.virtualHttpsPort)}`, 'http.virtualHttpsPort');
	timeoutLine(out, 'client', config.http.timeout, 'http.timeout');
	out.line(`    default_backend ${forwardBackend}`).blank();
	out.line(`backend ${forwardBackend}`).line('    mode tcp').line('    balance leastconn');
	timeoutLine(out, 'server', config.http.timeout, 'http.timeout');
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
