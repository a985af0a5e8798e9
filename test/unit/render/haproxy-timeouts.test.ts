// Idle timeouts per mode: ssl-offload gives each Exchange service its protocol's timeout (server side in its
// backend, client side raised per request on the shared frontend); ssl-forward the longest enabled one; the
// request/response services and the frontend between requests http.timeout.
import test from 'ava';
import { render, section } from './haproxy-sections.js';
import { idleMargin, longIdleServices } from '../../../services/render/exchange-timeouts.js';

const offload2013 = render((config) => { config.http.mode = 'ssl-offload'; config.exchangeVersion = '2013+'; })['haproxy.cfg'];

test('the long-lived services wait at least their protocol\'s longest idle period, with a margin', (t) => {
	const expected = { be_outlookanywhere: 960, be_mapi: 360, be_ews: 1860, be_activesync: 3600 };
	for (const [backend, seconds] of Object.entries(expected)) {
		t.regex(section(offload2013, `backend ${backend}`), new RegExp(`^    timeout server ${seconds}s$`, 'm'), backend);
	}
	t.is(longIdleServices.activesync!.protocolSeconds, 3540, 'MS-ASCMD: a Ping heartbeat lasts up to 3540 s');
	t.is(longIdleServices.outlookAnywhere!.protocolSeconds, 900, 'KB 2535656: the RPC proxy sends a keep-alive every 15 minutes');
	t.true(idleMargin >= 30);
});

test('the request/response services use http.timeout on the server side', (t) => {
	const cfg = render((config) => { config.http.mode = 'ssl-offload'; config.http.timeout = 40; })['haproxy.cfg'];
	for (const backend of ['be_owa', 'be_ecp', 'be_oab', 'be_autodiscover']) t.regex(section(cfg, `backend ${backend}`), /^    timeout server 40s$/m, backend);
	t.regex(section(cfg, 'backend be_activesync'), /^    timeout server 3600s$/m, 'http.timeout does not shorten a long poll');
});

test('the shared HTTPS frontend: http.timeout between and inside short requests, each long-lived service raises it for its requests', (t) => {
	const fe = section(offload2013, 'frontend fe_https');
	t.regex(fe, /^    timeout client 25s$/m);
	t.regex(fe, /^    timeout http-keep-alive 25s$/m);
	t.regex(fe, /^    timeout http-request 10s$/m, 'the request head must still arrive quickly');
	t.regex(fe, /^    http-request set-timeout client 960s if is_outlookAnywhere$/m);
	t.regex(fe, /^    http-request set-timeout client 360s if is_mapi$/m);
	t.regex(fe, /^    http-request set-timeout client 1860s if is_ews$/m);
	t.regex(fe, /^    http-request set-timeout client 3600s if is_activesync$/m);
	t.notRegex(fe, /set-timeout client \d+s if is_(owa|ecp|oab|autodiscover)/);
	t.true(fe.indexOf('set-timeout') < fe.indexOf('use_backend'), 'the timeout is set before the request is routed');
});

test('a disabled long-lived service leaves no timeout rule behind', (t) => {
	const fe = section(render((config) => { config.http.mode = 'ssl-offload'; config.http.services.activesync = false; })['haproxy.cfg'], 'frontend fe_https');
	t.notRegex(fe, /is_activesync/);
});

test('ssl-forward: one TLS stream may carry any service, so both sides get the longest enabled idle time', (t) => {
	const all = render(() => {})['haproxy.cfg'];
	t.regex(section(all, 'frontend fe_https'), /^    timeout client 3600s$/m);
	t.regex(section(all, 'backend be_https'), /^    timeout server 3600s$/m);
	const noActiveSync = render((config) => { config.http.services.activesync = false; })['haproxy.cfg'];
	t.regex(section(noActiveSync, 'backend be_https'), /^    timeout server 1860s$/m, 'EWS streaming is then the longest');
	const owaOnly = render((config) => {
		for (const name of ['ecp', 'oab', 'autodiscover', 'ews', 'activesync', 'outlookAnywhere', 'mapi'] as const) config.http.services[name] = false;
		config.http.timeout = 45;
	});
	t.regex(section(owaOnly['haproxy.cfg'], 'backend be_https'), /^    timeout server 45s$/m, 'only short services: http.timeout');
	const lines = owaOnly['haproxy.cfg'].split('\n');
	t.is(owaOnly.lineFields['haproxy.cfg']![lines.indexOf('    timeout server 45s')], 'http.timeout');
});

test('the redirect frontend closes an idle connection after http.timeout', (t) => {
	const fe = section(render((config) => { config.http.timeout = 33; })['haproxy.cfg'], 'frontend fe_http_redirect');
	t.regex(fe, /^    timeout client 33s$/m);
	t.regex(fe, /^    timeout http-request 10s$/m);
});

test('half-closed connections do not keep a long-lived protocol\'s idle time', (t) => {
	const defaults = section(offload2013, 'defaults');
	t.regex(defaults, /^    timeout client-fin 30s$/m);
	t.regex(defaults, /^    timeout server-fin 30s$/m);
});
