// The original guide's resilience defaults (kept or replaced on purpose) and the connection handling NTLM needs.
import test from 'ava';
import { render, section } from './haproxy-sections.js';
import { httpModes, exchangeVersions } from '../../../services/config/schema.js';

test('defaults: retries with redispatch, connection failures retried, a queue timeout and a listen backlog', (t) => {
	const defaults = section(render(() => {})['haproxy.cfg'], 'defaults');
	for (const line of ['retries 3', 'option redispatch 1', 'retry-on conn-failure', 'timeout queue 60s', 'backlog 10000', 'option dontlognull', 'option log-separate-errors', 'option contstats']) {
		t.regex(defaults, new RegExp(`^    ${line}$`, 'm'), line);
	}
});

test('ten failed connections speed the checks up (they mark the server down), not a mark-down amid the requests', (t) => {
	const owa = section(render((config) => { config.http.mode = 'ssl-offload'; })['haproxy.cfg'], 'backend be_owa');
	t.regex(owa, /server cas1 \S+ id 1 cookie cas1 check inter 5s fastinter 1s fall 3 rise 2 observe layer4 error-limit 10 on-error fastinter on-marked-down shutdown-sessions$/m);
});

test('only read-only services replay a request that got no answer (never an EWS or ActiveSync POST)', (t) => {
	const cfg = render((config) => { config.http.mode = 'ssl-offload'; config.exchangeVersion = '2013+'; })['haproxy.cfg'];
	for (const backend of ['be_oab', 'be_autodiscover']) t.regex(section(cfg, `backend ${backend}`), /^    retry-on conn-failure empty-response 503$/m, backend);
	for (const backend of ['be_owa', 'be_ecp', 'be_ews', 'be_activesync', 'be_outlookanywhere', 'be_mapi']) {
		t.notRegex(section(cfg, `backend ${backend}`), /retry-on/, `${backend} inherits conn-failure only`);
	}
});

test('NTLM-safe in every mode: connections kept alive and reused only "safe" (private NTLM connections stay with their client)', (t) => {
	for (const mode of httpModes) {
		for (const version of exchangeVersions) {
			const cfg = render((config) => { config.http.mode = mode; config.exchangeVersion = version; })['haproxy.cfg'];
			t.notRegex(cfg, /http-server-close|httpclose|forceclose|http-reuse (always|aggressive|never)|option http-tunnel|proto h2/, `${mode} ${version}`);
			t.regex(section(cfg, 'defaults'), /^    http-reuse safe$/m);
		}
	}
});
