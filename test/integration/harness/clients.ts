// Real clients run inside the client namespace: curl (HTTP/HTTPS/IMAP/POP3/SMTP), openssl s_client, socat.
import type { Lan } from './netns.js';
import { MAIL_PASSWORD, MAIL_USER } from './fake-exchange.js';

export interface HttpReply {
	readonly status: number;
	readonly headers: Record<string, string>;
	readonly body: string;
	/** The X-Backend header: which fake server answered. */
	readonly backend: string | undefined;
}

export interface HttpOptions {
	method?: string;
	headers?: Record<string, string>;
	/** Source address to send from (one of the client's addresses). */
	from?: string;
	cookieJar?: string;
}

/** One HTTP(S) request with curl in the client namespace; certificates are not verified (self-signed). */
export async function httpRequest(lan: Lan, url: string, options: HttpOptions = {}): Promise<HttpReply> {
	const args = ['-sS', '-k', '-i', '--max-time', '10'];
	if (options.method) args.push('-X', options.method);
	for (const [k, v] of Object.entries(options.headers ?? {})) args.push('-H', `${k}: ${v}`);
	if (options.from) args.push('--interface', options.from);
	if (options.cookieJar) args.push('-b', options.cookieJar, '-c', options.cookieJar);
	args.push(url);
	const { stdout } = await lan.run('client', 'curl', args);
	const split = stdout.indexOf('\r\n\r\n');
	const head = stdout.slice(0, split).split('\r\n');
	const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head[0] ?? '')?.[1] ?? NaN);
	const headers: Record<string, string> = {};
	for (const line of head.slice(1)) {
		const i = line.indexOf(':');
		if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
	}
	return { status, headers, body: stdout.slice(split + 4), backend: headers['x-backend'] };
}

/** The backends that answered `count` requests made by `make`, in order. */
export async function backendsOf(count: number, make: (i: number) => Promise<HttpReply>): Promise<string[]> {
	const seen: string[] = [];
	for (let i = 0; i < count; i++) {
		const reply = await make(i);
		if (reply.status >= 400 && reply.status !== 401) throw new Error(`request ${i} answered ${reply.status}: ${reply.body}`);
		seen.push(reply.backend ?? '(none)');
	}
	return seen;
}

export interface MailReply {
	/** The server named in the greeting ("cas1 ready", "ESMTP hub1"). */
	readonly server: string | undefined;
	readonly exitCode: number;
	readonly stdout: string;
	readonly transcript: string;
}

/**
 * A real mail session with curl: `imap://`/`imaps://` list mailboxes, `pop3://`/`pop3s://` list messages,
 * `smtp://`/`smtps://` send one message. The greeting tells which server answered.
 */
export async function mailSession(lan: Lan, url: string): Promise<MailReply> {
	const args = ['-sS', '-v', '-k', '--max-time', '10'];
	if (url.startsWith('smtp')) args.push('--mail-from', 'sender@exlb.test', '--mail-rcpt', 'rcpt@exlb.test', '-T', '-');
	else args.push('-u', `${MAIL_USER}:${MAIL_PASSWORD}`);
	args.push(url);
	const r = await lan.run('client', 'curl', args, { reject: false, input: 'Subject: exlb test\r\n\r\nhello\r\n' });
	const greeting = r.stderr.split('\n').find((l) => /^< (\* OK|\+OK|220 )/.test(l)) ?? '';
	const server = /\b((?:cas|hub)\d)\b/.exec(greeting)?.[1];
	return { server, exitCode: r.exitCode, stdout: r.stdout, transcript: r.stderr };
}

/** The subject CN of the certificate a TLS server presents (openssl s_client). */
export async function peerCertificateCn(lan: Lan, address: string, port: number): Promise<string | undefined> {
	const r = await lan.run('client', 'openssl', ['s_client', '-connect', `${address}:${port}`, '-servername', 'mail.exlb.test'], { input: '', reject: false, timeoutMs: 10_000 });
	return /subject=.*CN\s*=\s*([^,\n/]+)/.exec(r.stdout)?.[1]?.trim();
}

/** Reads what a plain TCP listener (the fake RPC ports) says on connect: "cas1 60001". */
export async function tcpBanner(lan: Lan, address: string, port: number, from?: string): Promise<string> {
	const target = from ? `TCP:${address}:${port},bind=${from}` : `TCP:${address}:${port}`;
	const r = await lan.run('client', 'socat', ['-u', '-T15', target, '-'], { reject: false, timeoutMs: 20_000 });
	return r.stdout.trim();
}
