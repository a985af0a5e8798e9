// Traffic logs: the local target (the journal on the appliance), the remote syslog server, the per-frontend format.
import test from 'ava';
import { render, section } from './haproxy-sections.js';
import { applianceRenderEnv } from '../../../services/render/env.js';
import { appliancePaths } from '../../../services/paths.js';

const appliance = applianceRenderEnv(appliancePaths('/'));

test('the appliance logs errors and events to the journal (/dev/log) in the format journald parses, long lines kept', (t) => {
	const rendered = render(() => {}, { env: appliance });
	const global = section(rendered['haproxy.cfg'], 'global');
	t.regex(global, /^    log \/dev\/log len 4096 format local local0 notice$/m, 'notice and above: failed requests (err) and events');
	t.notRegex(global, /rfc5424|log-send-hostname/, 'no remote server configured');
	const lines = rendered['haproxy.cfg'].split('\n');
	t.is(rendered.lineFields['haproxy.cfg']![lines.findIndex((line) => line.includes('/dev/log'))], 'syslog.journal');
});

test('syslog.journal all: the journal gets every request and session too', (t) => {
	const global = section(render((config) => { config.syslog.journal = 'all'; }, { env: appliance })['haproxy.cfg'], 'global');
	t.regex(global, /^    log \/dev\/log len 4096 format local local0$/m);
});

test('every HTTP frontend logs requests (httplog), every TCP frontend sessions (tcplog)', (t) => {
	const cfg = render((config) => { config.http.mode = 'ssl-offload'; config.imap.mode = 'clear-and-ssl-offload'; config.smtp.mode = 'clear'; })['haproxy.cfg'];
	for (const fe of ['fe_https', 'fe_http_redirect']) t.regex(section(cfg, `frontend ${fe}`), /^    option httplog$/m, fe);
	for (const fe of ['fe_imap', 'fe_imaps', 'fe_smtp', 'fe_rpc_epm', 'fe_rpc_ca', 'fe_rpc_ab']) t.regex(section(cfg, `frontend ${fe}`), /^    option tcplog$/m, fe);
	t.regex(section(render(() => {})['haproxy.cfg'], 'frontend fe_https'), /^    option tcplog$/m, 'ssl-forward is TCP');
	t.regex(section(cfg, 'defaults'), /^    log global$/m);
});

test('syslog.server: haproxy forwards in RFC 5424 over UDP or TCP, naming this node', (t) => {
	const udp = render((config) => { config.syslog.server = '10.0.0.50'; config.network.hostname = 'lb-east'; }, { env: appliance });
	const global = section(udp['haproxy.cfg'], 'global');
	t.regex(global, /^    log udp@10\.0\.0\.50:514 len 2048 format rfc5424 local0$/m);
	t.regex(global, /^    log-send-hostname lb-east$/m);
	t.regex(global, /^    log \/dev\/log len 4096 format local local0 notice$/m, 'the journal still gets the errors');
	const lines = udp['haproxy.cfg'].split('\n');
	t.is(udp.lineFields['haproxy.cfg']![lines.findIndex((line) => line.includes('rfc5424'))], 'syslog.server');
	const tcp = render((config) => { Object.assign(config.syslog, { server: '10.0.0.50', protocol: 'tcp', port: 6514 }); })['haproxy.cfg'];
	t.regex(section(tcp, 'global'), /^    log tcp@10\.0\.0\.50:6514 len 2048 format rfc5424 local0$/m);
});

test('a host name is sent to as resolved at apply time; unresolved, nothing is forwarded (haproxy would not start)', (t) => {
	const named = (syslogAddress: string | null) => section(render((config) => { config.syslog.server = 'logs.example.com'; }, { syslogAddress })['haproxy.cfg'], 'global');
	t.regex(named('10.9.9.9'), /^    log udp@10\.9\.9\.9:514 len 2048 format rfc5424 local0$/m);
	const unresolved = named(null);
	t.notRegex(unresolved, /rfc5424|logs\.example\.com:/);
	t.regex(unresolved, /^    # syslog\.server logs\.example\.com did not resolve/m);
});
