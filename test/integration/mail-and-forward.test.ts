// IMAP, POP3 and SMTP through the balancer with real curl sessions, in clear, ssl-offload (stunnel) and
// ssl-forward modes; and the HTTP services in ssl-forward mode (TLS ends on the CAS itself).
import test from 'ava';
import { startSite, type Site } from './harness/site.js';
import { siteConfig } from './harness/engine.js';
import { mailSession, peerCertificateCn, httpRequest, backendsOf, type MailReply } from './harness/clients.js';
import { serverStatus } from './harness/haproxy-stats.js';
import { waitFor } from '../../services/apply/wait.js';
import type { Config, MailMode } from '../../services/config/schema.js';

let site: Site;
const CAS = ['cas1', 'cas2'] as const;
const HUBS = ['hub1', 'hub2'] as const;

test.before(async () => {
	site = await startSite({ cas: [...CAS], hubs: [...HUBS], clientSources: 2 });
});

test.after.always(async () => {
	await site?.stop();
});

const distinct = (xs: readonly (string | undefined)[]) => [...new Set(xs)].sort();

async function applyMailModes(mode: MailMode, edit?: (c: Config) => void): Promise<void> {
	await site.engine.apply(siteConfig(site.lan, CAS, HUBS, (c) => {
		c.http.mode = 'disabled';
		c.rpc.mode = 'disabled';
		c.imap.mode = mode;
		c.pop3.mode = mode;
		c.smtp.mode = mode;
		edit?.(c);
	}));
}

async function waitAllUp(backends: readonly string[]): Promise<void> {
	await waitFor(`every server up in ${backends.join(', ')}`, 30_000, async () => {
		const notUp: string[] = [];
		for (const be of backends) {
			const servers = be.startsWith('be_smtp') ? HUBS : CAS;
			for (const s of servers) {
				const status = await serverStatus(site.engine.statsSocket, be, s);
				if (!status?.startsWith('UP')) notUp.push(`${be}/${s} ${status}`);
			}
		}
		if (notUp.length > 0) throw new Error(notUp.join(', '));
		return true;
	}, 100);
}

/** Runs `count` sessions and returns who answered them; every session must succeed. */
async function sessions(url: string, count: number): Promise<string[]> {
	const replies: MailReply[] = [];
	for (let i = 0; i < count; i++) replies.push(await mailSession(site.lan, url));
	for (const r of replies) if (r.exitCode !== 0 || !r.server) throw new Error(`${url} failed (exit ${r.exitCode}):\n${r.transcript}`);
	return replies.map((r) => r.server!);
}

test.serial('clear and ssl-offload: IMAP, IMAPS, POP3, POP3S, SMTP and SMTP over TLS', async (t) => {
	await applyMailModes('clear-and-ssl-offload');
	await waitAllUp(['be_imap', 'be_pop3', 'be_smtp']);
	const lb = site.lb;
	for (const url of [`imap://${lb}/`, `imaps://${lb}/`, `pop3://${lb}/`, `pop3s://${lb}/`]) {
		const seen = await sessions(url, 4);
		t.deepEqual(distinct(seen), [...CAS], `${url}: no persistence, sessions spread (${seen.join(',')})`);
	}
	const imap = await mailSession(site.lan, `imap://${lb}/`);
	t.regex(imap.stdout, /LIST .*INBOX/, 'logged in and listed the mailbox');
	for (const url of [`smtp://${lb}/`, `smtps://${lb}:587/`]) {
		const seen = await sessions(url, 4);
		t.deepEqual(distinct(seen), [...HUBS], `${url}: spread over the HUB servers (${seen.join(',')})`);
	}
	const smtp = await mailSession(site.lan, `smtp://${lb}/`);
	t.regex(smtp.transcript, /< 250 2\.0\.0 Ok: queued/, 'the HUB accepted the message');
	for (const port of [993, 995, 587]) t.is(await peerCertificateCn(site.lan, lb, port), 'mail.exlb.test', `TLS on ${port} ends on the balancer`);
});

test.serial('ssl-forward: IMAPS, POP3S and SMTP over TLS end on the servers themselves', async (t) => {
	await applyMailModes('clear-and-ssl-forward');
	await waitAllUp(['be_imap', 'be_imaps', 'be_pop3', 'be_pop3s', 'be_smtp', 'be_smtps']);
	const lb = site.lb;
	for (const url of [`imaps://${lb}/`, `pop3s://${lb}/`]) t.deepEqual(distinct(await sessions(url, 4)), [...CAS], url);
	t.deepEqual(distinct(await sessions(`smtps://${lb}:587/`, 4)), [...HUBS]);
	const certs = new Set<string | undefined>();
	for (let i = 0; i < 4; i++) certs.add(await peerCertificateCn(site.lan, lb, 993));
	t.deepEqual(distinct([...certs]), ['cas1.exlb.test', 'cas2.exlb.test'], 'the CAS servers present their own certificates');
	t.regex((await peerCertificateCn(site.lan, lb, 587)) ?? '', /^hub[12]\.exlb\.test$/);
});

test.serial('clear only, then ssl-offload only: each mode listens where it should', async (t) => {
	await applyMailModes('clear');
	await waitAllUp(['be_imap', 'be_pop3', 'be_smtp']);
	t.deepEqual(distinct(await sessions(`imap://${site.lb}/`, 4)), [...CAS]);
	t.false(await site.lan.isListening('lb', 993), 'no IMAPS listener in clear mode');
	await applyMailModes('ssl-offload');
	await waitAllUp(['be_imap', 'be_pop3', 'be_smtp']);
	await waitFor('port 143 released', 15_000, async () => !(await site.lan.isListening('lb', 143)), 100);
	t.deepEqual(distinct(await sessions(`imaps://${site.lb}/`, 4)), [...CAS]);
	t.deepEqual(distinct(await sessions(`pop3s://${site.lb}/`, 4)), [...CAS]);
});

test.serial('HTTP ssl-forward: TLS passed through to the CAS, persistence on the source address', async (t) => {
	await site.engine.apply(siteConfig(site.lan, CAS, HUBS, (c) => { c.http.mode = 'ssl-forward'; }));
	await waitAllUp(['be_https']);
	const cns = new Set<string | undefined>();
	for (const from of site.clientSources) {
		const seen = await backendsOf(4, () => httpRequest(site.lan, `https://${site.lb}/owa/`, { from }));
		t.is(distinct(seen).length, 1, `from ${from}: ${seen.join(',')}`);
		const reply = await httpRequest(site.lan, `https://${site.lb}/ews/exchange.asmx`, { from });
		t.is(reply.headers['x-seen-scheme'], 'https', 'the CAS itself terminated TLS');
		t.is(reply.headers['x-seen-peer'], site.lb);
		cns.add(seen[0]);
	}
	t.deepEqual(distinct([...cns]), [...CAS], 'the two sources are spread');
	const redirect = await httpRequest(site.lan, `http://${site.lb}/owa/`);
	t.is(redirect.status, 301);
});
