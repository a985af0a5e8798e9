// Traffic logs through the real daemons: one request → one httplog line (frontend, backend/CAS, timers, status,
// termination state) at the remote syslog server (syslog.server, RFC 5424, over UDP then TCP, in its own namespace)
// and, with syslog.journal all, on haproxy's local target (the journal's stand-in: a receiver in the lb namespace);
// a TCP session → tcplog. With the default (errors), the local target gets a failed request but not a good one.
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { startSite, type Site } from './harness/site.js';
import { siteConfig } from './harness/engine.js';
import { httpRequest, mailSession } from './harness/clients.js';
import { allServersUp } from './harness/haproxy-stats.js';
import { startSyslogReceiver, type SyslogReceiver } from './harness/syslog.js';
import { waitFor } from '../../services/apply/wait.js';
import type { Config } from '../../services/config/schema.js';

const CAS = ['cas1', 'cas2'] as const;
const LOCAL_PORT = 5140;
let site: Site;
let local: SyslogReceiver;
let remoteUdp: SyslogReceiver;
let remoteTcp: SyslogReceiver;

const config = (edit: (c: Config) => void) => siteConfig(site.lan, CAS, [], (c) => { c.imap.mode = 'clear'; c.syslog.server = site.lan.addr('syslog'); c.syslog.journal = 'all'; edit(c); });

test.before(async () => {
	site = await startSite({ cas: [...CAS], extraHosts: ['syslog'], engine: { logTarget: `udp@127.0.0.1:${LOCAL_PORT}` } });
	local = await startSyslogReceiver(site.lan, 'lb', site.dir, 'udp', '127.0.0.1', LOCAL_PORT);
	remoteUdp = await startSyslogReceiver(site.lan, 'syslog', site.dir, 'udp', '0.0.0.0', 514);
	remoteTcp = await startSyslogReceiver(site.lan, 'syslog', site.dir, 'tcp', '0.0.0.0', 601);
	await site.engine.apply(config(() => {}));
	await waitFor('both CAS up in be_owa and be_imap', 30_000, () => allServersUp(site.engine.statsSocket, ['be_owa', 'be_imap'], CAS), 100);
});

test.after.always(async () => {
	await site?.stop();
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const linesWith = (receiver: SyslogReceiver, text: string) => receiver.lines().filter((line) => line.includes(text));

/** Sends one OWA request with a unique query; resolves to the CAS that answered and the probe text. */
async function probeRequest(): Promise<{ probe: string; cas: string }> {
	const probe = `/owa/?probe=${randomBytes(6).toString('hex')}`;
	const reply = await httpRequest(site.lan, `https://${site.lb}${probe}`);
	if (reply.status !== 200 || reply.backend === undefined) throw new Error(`probe answered ${reply.status}: ${reply.body}`);
	return { probe, cas: reply.backend };
}

test.serial('one HTTPS request: one httplog line naming frontend, backend, CAS, timers, status and termination state; syslog over UDP gets it in RFC 5424', async (t) => {
	const { probe, cas } = await probeRequest();
	await waitFor(`the request ${probe} logged locally and at the syslog server`, 15_000, () => linesWith(local, probe).length > 0 && linesWith(remoteUdp, probe).length > 0, 100);
	const [line, ...more] = linesWith(local, probe);
	t.deepEqual(more, [], 'exactly one line for one request');
	const httplog = new RegExp(`${escape(site.lan.addr('client'))}:\\d+ \\[[^\\]]+\\] fe_https be_owa/${cas} \\d+/\\d+/\\d+/\\d+/\\d+ 200 \\d+ - - --[-A-Z]{2} [\\d/]+ [\\d/]+ "GET ${escape(probe)} HTTP/1\\.1"`);
	t.regex(line!, httplog, 'client address (through stunnel), frontend, backend/CAS, TR/Tw/Tc/Tr/Ta, status, bytes, termination state ("--" normal end, then the OWA cookie\'s state), request');
	t.regex(line!, /^<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d haproxy\[\d+\]: /, 'the local target gets what journald parses (no host name)');
	t.log(`local:  ${line}`);
	const [remote, ...moreRemote] = linesWith(remoteUdp, probe);
	t.deepEqual(moreRemote, []);
	t.regex(remote!, /^<\d+>1 \d{4}-\d\d-\d\dT\S+ exlb-test haproxy \d+ - - /, 'RFC 5424 header naming this node (network.hostname)');
	t.regex(remote!, httplog);
	t.log(`remote: ${remote}`);
});

test.serial('syslog over TCP (octet counting), and a TCP session logged with tcplog', async (t) => {
	await site.engine.apply(config((c) => { c.syslog.protocol = 'tcp'; c.syslog.port = 601; }));
	// The reloaded haproxy forwards over TCP once its ring's connection is up: wait for a probe to arrive there.
	const { probe, cas } = await waitFor('a request logged over TCP', 20_000, async () => {
		const sent = await probeRequest();
		await waitFor('that request logged locally', 10_000, () => linesWith(local, sent.probe).length > 0, 100);
		return linesWith(remoteTcp, sent.probe).length > 0 ? sent : undefined;
	}, 500);
	t.regex(linesWith(remoteTcp, probe)[0]!, new RegExp(`^<\\d+>1 \\S+ exlb-test haproxy \\d+ - - .*fe_https be_owa/${cas} .* 200 `));
	const session = await mailSession(site.lan, `imap://${site.lb}/`);
	t.is(session.exitCode, 0, session.transcript);
	// "] fe_imap " is a session's line; haproxy's own notices about the proxy have no timestamp bracket before it.
	const sessionLine = '] fe_imap ';
	await waitFor('the IMAP session logged locally and over TCP', 15_000, () => linesWith(local, sessionLine).length > 0 && linesWith(remoteTcp, sessionLine).length > 0, 100);
	const tcplog = new RegExp(`${escape(site.lan.addr('client'))}:\\d+ \\[[^\\]]+\\] fe_imap be_imap/${session.server} \\d+/\\d+/\\d+ \\d+ -- [\\d/]+ [\\d/]+$`);
	t.regex(linesWith(local, sessionLine)[0]!, tcplog, 'client, frontend, backend/CAS, Tw/Tc/Tt, bytes, termination state');
	t.regex(linesWith(remoteTcp, sessionLine)[0]!, tcplog);
	t.log(`tcplog: ${linesWith(local, sessionLine)[0]}`);
});

test.serial('syslog.journal errors (the default): a good request reaches only the syslog server, a failed one (503) the local target too, at level err', async (t) => {
	await site.engine.apply(config((c) => { c.syslog.journal = 'errors'; }));
	// The apply returns once the reloaded haproxy serves; the local target receives lines in the order they are logged.
	const { probe } = await probeRequest();
	await waitFor(`${probe} at the syslog server`, 15_000, () => linesWith(remoteUdp, probe).length > 0, 100);
	// Both CAS answer 503 on this page: sent to one, retried on the other (retry-on 503), the client gets the 503.
	await Promise.all(CAS.map((cas) => site.cas[cas]!.setSick('owa', true)));
	try {
		const failed = `/owa/healthcheck.htm?probe=${randomBytes(6).toString('hex')}`;
		const reply = await httpRequest(site.lan, `https://${site.lb}${failed}`);
		t.is(reply.status, 503, reply.body);
		await waitFor('the failed request logged locally and at the syslog server', 15_000, () => linesWith(local, failed).length > 0 && linesWith(remoteUdp, failed).length > 0, 100);
		const [line] = linesWith(local, failed);
		t.regex(line!, new RegExp(`^<${16 * 8 + 3}>.* fe_https be_owa/cas\\d .* 503 `), 'facility local0, severity err (3)');
		t.log(`local: ${line}`);
	} finally {
		await Promise.all(CAS.map((cas) => site.cas[cas]!.setSick('owa', false)));
	}
	t.deepEqual(linesWith(local, probe), [], 'the good request, logged before the failed one, is not in the local log');
});
