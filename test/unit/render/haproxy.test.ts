import test from 'ava';
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { renderAll, localRenderEnv, applianceRenderEnv } from '../../../services/render/index.js';
import { appliancePaths } from '../../../services/paths.js';
import { env, render, section } from './haproxy-sections.js';

function defaultConfigWithCas(): Config {
	const config = defaultConfig();
	config.casServers = ['10.0.0.1'];
	return config;
}

test('global: master-worker with listeners handed over on reload', (t) => {
	const cfg = render(() => {})['haproxy.cfg'];
	t.regex(cfg, /^    master-worker$/m);
	t.regex(cfg, /^    stats socket \/tmp\/exlb-unit\/haproxy\.sock mode 600 level admin expose-fd listeners$/m);
});

test('global: a read-only status socket (owner only in tests), the server-state file, loaded by every backend', (t) => {
	const cfg = render(() => {})['haproxy.cfg'];
	t.regex(cfg, /^    stats socket \/tmp\/exlb-unit\/haproxy-user\.sock mode 600 level user$/m);
	t.regex(cfg, /^    server-state-file \/tmp\/exlb-unit\/haproxy-server-state$/m);
	t.regex(section(cfg, 'defaults'), /^    load-server-state-from-file global$/m);
	const applianceEnv = applianceRenderEnv(appliancePaths('/'));
	const appliance = renderAll(defaultConfigWithCas(), applianceEnv)['haproxy.cfg'];
	t.regex(appliance, /^    stats socket \/run\/exlb\/haproxy\.sock mode 600 level admin expose-fd listeners$/m);
	const grouped = renderAll(defaultConfigWithCas(), { ...applianceEnv, haproxyUserSocketGroup: 'exlb-web' })['haproxy.cfg'];
	t.regex(grouped, /^    stats socket \/run\/exlb\/haproxy-user\.sock mode 660 group exlb-web level user$/m, 'the web server\'s group may poll it');
	t.regex(appliance, /^    server-state-file \/run\/exlb\/haproxy-server-state$/m);
});

test('server states are not rendered: drain and maint reach haproxy through the state file and the runtime API', (t) => {
	const drained = render((config) => { config.serverStates = { '10.0.0.1': 'maint', '10.0.0.9': 'drain' }; });
	t.is(drained['haproxy.cfg'], render(() => {})['haproxy.cfg'], 'a drain changes nothing in haproxy.cfg: no reload, sessions stay countable');
});

test('ssl-offload 2010: per-service backends, Exchange persistence, health checks, servers cas1..', (t) => {
	const cfg = render((config) => { config.http.mode = 'ssl-offload'; })['haproxy.cfg'];
	const fe = section(cfg, 'frontend fe_https');
	t.regex(fe, /bind unix@\/tmp\/exlb-unit\/sockets\/tls-https\.sock accept-proxy/);
	t.regex(fe, /option forwardfor/);
	t.regex(fe, /http-request redirect location \/owa\/ code 302 if \{ path \/ \}/);
	t.regex(fe, /use_backend be_activesync if is_activesync/);
	t.notRegex(fe, /be_mapi/, 'MAPI is 2013+ only');
	const owa = section(cfg, 'backend be_owa');
	t.regex(owa, /balance leastconn/);
	t.regex(owa, /cookie EXLBCAS insert indirect nocache httponly secure/);
	t.regex(owa, /http-check send meth GET uri \/owa\/auth\/logon\.aspx ver HTTP\/1\.1 hdr Host mail\.example\.com/);
	t.regex(owa, /http-check expect rstatus \^\(2\[0-9\]\[0-9\]\|3\[0-9\]\[0-9\]\|401\)\$/);
	t.regex(owa, /server cas1 10\.0\.0\.1:80 id 1 cookie cas1 check .*observe layer4 .*on-marked-down shutdown-sessions/);
	t.regex(owa, /server cas2 10\.0\.0\.2:80 id 2 cookie cas2 check/);
	t.regex(section(cfg, 'backend be_ecp'), /cookie EXLBCAS insert/);
	t.regex(section(cfg, 'backend be_activesync'), /stick on req\.hdr\(Authorization\)/);
	t.regex(section(cfg, 'backend be_outlookanywhere'), /stick on src/);
	t.regex(section(cfg, 'backend be_outlookanywhere'), /http-check send meth RPC_IN_DATA uri \/rpc\/rpcproxy\.dll ver HTTP\/1\.1 hdr Host mail\.example\.com/);
	t.regex(section(cfg, 'backend be_ews'), /stick on src/);
	for (const none of ['be_autodiscover', 'be_oab']) t.notRegex(section(cfg, `backend ${none}`), /stick|cookie/);
	t.regex(section(cfg, 'frontend fe_http_redirect'), /http-request redirect prefix https:\/\/mail\.example\.com code 301/);
});

test('2013+: no affinity anywhere, healthcheck.htm pages, MAPI', (t) => {
	const cfg = render((config) => { config.http.mode = 'ssl-offload'; config.exchangeVersion = '2013+'; })['haproxy.cfg'];
	t.notRegex(cfg, /stick|cookie/);
	t.regex(section(cfg, 'backend be_mapi'), /uri \/mapi\/healthcheck\.htm/);
	t.regex(section(cfg, 'backend be_activesync'), /uri \/Microsoft-Server-ActiveSync\/healthcheck\.htm/);
	t.regex(section(cfg, 'backend be_owa'), /http-check expect status 200/);
	t.notRegex(cfg, /be_rpc/, 'no RPC services with 2013+');
});

test('a disabled HTTP service gets no route', (t) => {
	const cfg = render((config) => { config.http.mode = 'ssl-offload'; config.http.services.ecp = false; })['haproxy.cfg'];
	t.notRegex(cfg, /be_ecp|is_ecp/);
});

test('ssl-forward: TLS passed through to the CAS HTTPS port, checked per enabled service over TLS', (t) => {
	const cfg = render((config) => { config.http.virtualHttpsPort = 8443; })['haproxy.cfg'];
	t.regex(section(cfg, 'frontend fe_https'), /bind 127\.0\.0\.1:8443/);
	const be = section(cfg, 'backend be_https');
	t.regex(be, /mode tcp/);
	t.regex(be, /stick on src/);
	t.is(be.match(/http-check connect ssl sni str\(mail\.example\.com\)/g)?.length, 7);
	t.regex(be, /server cas1 10\.0\.0\.1:443 id 1 verify none check/);
	t.regex(section(cfg, 'frontend fe_http_redirect'), /redirect prefix https:\/\/mail\.example\.com:8443 code 301/);
});

test('RPC: one group per CAS (checks all three ports, the others track it), shared stickiness', (t) => {
	const cfg = render(() => {})['haproxy.cfg'];
	const epm = section(cfg, 'backend be_rpc_epm');
	t.regex(epm, /tcp-check connect port 135\n    tcp-check connect port 60000\n    tcp-check connect port 60001/);
	t.regex(epm, /stick on src$/m);
	for (const backend of ['be_rpc_ca', 'be_rpc_ab']) {
		const text = section(cfg, `backend ${backend}`);
		t.regex(text, /stick on src table be_rpc_epm/);
		t.regex(text, /server cas1 10\.0\.0\.1:600\d\d id 1 track be_rpc_epm\/cas1 on-marked-down shutdown-sessions/);
	}
	t.regex(section(cfg, 'frontend fe_rpc_ca'), /timeout client 3600s/);
});

test('mail modes: clear, forward and offload frontends and backends', (t) => {
	const cfg = render((config) => {
		config.imap.mode = 'clear-and-ssl-offload';
		config.pop3.mode = 'clear-and-ssl-forward';
		config.smtp.mode = 'clear';
	})['haproxy.cfg'];
	t.regex(section(cfg, 'frontend fe_imap'), /bind 127\.0\.0\.1:143/);
	t.regex(section(cfg, 'frontend fe_imaps'), /bind unix@\/tmp\/exlb-unit\/sockets\/tls-imaps\.sock accept-proxy[\s\S]*default_backend be_imap$/m);
	t.regex(section(cfg, 'backend be_imap'), /tcp-check expect rstring \^\[\*\]\[\[:space:\]\]OK/);
	t.regex(section(cfg, 'frontend fe_pop3s'), /bind 127\.0\.0\.1:995[\s\S]*default_backend be_pop3s/);
	t.regex(section(cfg, 'backend be_pop3s'), /tcp-check connect ssl[\s\S]*server cas1 10\.0\.0\.1:995 id 1 verify none check/);
	t.regex(section(cfg, 'backend be_smtp'), /option smtpchk EHLO mail\.example\.com[\s\S]*server hub1 10\.0\.0\.9:25 id 1 check/);
	t.notRegex(cfg, /be_smtps/);
});

test('per-service timeouts reach both sides', (t) => {
	const cfg = render((config) => { config.http.mode = 'ssl-offload'; config.http.timeout = 77; config.pop3.mode = 'clear'; config.pop3.timeout = 88; })['haproxy.cfg'];
	t.regex(section(cfg, 'frontend fe_https'), /timeout client 77s/);
	t.regex(section(cfg, 'backend be_owa'), /timeout server 77s/);
	t.regex(section(cfg, 'frontend fe_pop3'), /timeout client 88s/);
	t.regex(section(cfg, 'backend be_pop3'), /timeout server 88s/);
});

test('line → field map points at the field a line carries', (t) => {
	const files = render((config) => { config.http.mode = 'ssl-offload'; });
	const lines = files['haproxy.cfg'].split('\n');
	const fieldOf = (pattern: RegExp) => files.lineFields['haproxy.cfg']![lines.findIndex((line) => pattern.test(line))];
	t.is(fieldOf(/server cas2 10\.0\.0\.2:80/), 'casServers[1]');
	t.is(fieldOf(/timeout server 25s/), 'http.timeout');
	t.is(fieldOf(/bind 127\.0\.0\.1:80$/), 'http.redirectHttpPort');
	t.is(fieldOf(/^    master-worker$/), null);
	t.is(files.lineFields['haproxy.cfg']!.length, lines.length - 1);
});

test('a value that bypassed validation cannot inject a line', (t) => {
	const config = defaultConfig();
	config.http.hostName = 'mail.example.com\n    bind :1';
	t.throws(() => renderAll(config, env), { instanceOf: RangeError, message: /line break/ });
	t.throws(() => renderAll(defaultConfig(), localRenderEnv('/tmp/with space')), { instanceOf: RangeError, message: /RenderEnv\.certDir/ });
});
