// Fake Exchange servers for the integration tests, each inside its own namespace:
// a CAS = nginx (the Exchange paths on 80/443) + dovecot (IMAP/POP with and without TLS)
// + a banner server on each RPC port; a HUB = postfix (SMTP on 25, implicit TLS on 587).
// Every answer names the server so a test can tell where the balancer sent it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import type { Lan } from './netns.js';
import { startDaemon, type Daemon } from './daemon.js';
import { selfSignedCert, type TestCert } from './certs.js';

export const MAIL_USER = 'tester';
export const MAIL_PASSWORD = 'exlb-test-pass';
export const RPC_PORTS = [135, 60000, 60001] as const;
const BANNER_SERVER = fileURLToPath(new URL('./banner-server.mjs', import.meta.url));

/** The Exchange 2010 and 2013+ virtual directories, with the health page each one has on 2013+. */
const HEALTH_VDIRS = ['owa', 'ecp', 'oab', 'autodiscover', 'ews', 'Microsoft-Server-ActiveSync', 'rpc', 'mapi'];

function nginxConf(host: string, dir: string, cert: TestCert): string {
	// A test marks one protocol of this server sick by creating <dir>/sick-<vdir> (Exchange 2013+ managed availability).
	const health = HEALTH_VDIRS.map((v) => `\t\tlocation = /${v}/healthcheck.htm {\n\t\t\tif (-f ${dir}/sick-${v}) { return 503 "${host} ${v} sick\\n"; }\n\t\t\treturn 200 "200 OK ${host}\\n";\n\t\t}`).join('\n');
	return `daemon off;
master_process on;
worker_processes 1;
user root;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	default_type text/plain;
	client_body_temp_path ${dir}/body;
	proxy_temp_path ${dir}/proxy;
	fastcgi_temp_path ${dir}/fastcgi;
	uwsgi_temp_path ${dir}/uwsgi;
	scgi_temp_path ${dir}/scgi;
	keepalive_requests 1000000;
	server {
		listen 80 default_server;
		listen 443 ssl default_server;
		ssl_certificate ${cert.pem};
		ssl_certificate_key ${cert.pem};
		# Who answered, and which client address it saw (TCP peer and X-Forwarded-For).
		add_header X-Backend ${host} always;
		add_header X-Seen-Peer $remote_addr always;
		add_header X-Seen-XFF "$http_x_forwarded_for" always;
		add_header X-Seen-Scheme $scheme always;
${health}
		location = /owa/auth/logon.aspx { return 200 "${host} $uri\\n"; }
		# Like Exchange, the RPC proxy refuses an unauthenticated RPC_IN_DATA with 401.
		location /rpc/ {
			if ($request_method = RPC_IN_DATA) { return 401 "${host} rpc auth required\\n"; }
			return 200 "${host} $uri\\n";
		}
		location ~* ^/(owa|ecp|oab|autodiscover|ews|Microsoft-Server-ActiveSync|mapi)(/|$) { return 200 "${host} $uri\\n"; }
		location / { return 404 "${host} no such path $uri\\n"; }
	}
}
`;
}

function dovecotConf(host: string, dir: string, cert: TestCert): string {
	return `instance_name = dovecot-${host}
base_dir = ${dir}/dovecot-run
state_dir = ${dir}/dovecot-state
log_path = ${dir}/dovecot.log
protocols = imap pop3
listen = *
ssl = yes
ssl_cert = <${cert.pem}
ssl_key = <${cert.pem}
disable_plaintext_auth = no
auth_mechanisms = plain login
login_greeting = ${host} ready
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%u
passdb {
	driver = static
	args = password=${MAIL_PASSWORD}
}
userdb {
	driver = static
	args = uid=nobody gid=nogroup home=${dir}/mail/%u
}
service imap-login {
	inet_listener imap {
		port = 143
	}
	inet_listener imaps {
		port = 993
		ssl = yes
	}
}
service pop3-login {
	inet_listener pop3 {
		port = 110
	}
	inet_listener pop3s {
		port = 995
		ssl = yes
	}
}
`;
}

function postfixMain(host: string, dir: string, cert: TestCert): string {
	return `compatibility_level = 3.6
queue_directory = ${dir}/queue
data_directory = ${dir}/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = ${host}.exlb.test
mydomain = exlb.test
myorigin = $myhostname
mydestination = exlb.test, $myhostname
inet_interfaces = all
inet_protocols = ipv4
mynetworks = 10.77.0.0/24, 127.0.0.0/8
smtpd_banner = $myhostname ESMTP ${host}
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
local_recipient_maps =
alias_maps =
alias_database =
local_transport = discard:
default_transport = discard:
relay_transport = discard:
maillog_file = ${dir}/maillog
maillog_file_prefixes = ${dir}
smtpd_tls_cert_file = ${cert.pem}
smtpd_tls_key_file = ${cert.pem}
smtpd_tls_security_level = may
`;
}

function postfixMaster(): string {
	const rows = [
		'smtp inet n - n - - smtpd',
		'587 inet n - n - - smtpd -o smtpd_tls_wrappermode=yes',
		'pickup unix n - n 60 1 pickup',
		'cleanup unix n - n - 0 cleanup',
		'qmgr unix n - n 300 1 qmgr',
		'tlsmgr unix - - n 1000? 1 tlsmgr',
		'rewrite unix - - n - - trivial-rewrite',
		'bounce unix - - n - 0 bounce',
		'defer unix - - n - 0 bounce',
		'trace unix - - n - 0 bounce',
		'verify unix - - n - 1 verify',
		'flush unix n - n 1000? 0 flush',
		'proxymap unix - - n - - proxymap',
		'smtp unix - - n - - smtp',
		'relay unix - - n - - smtp',
		'showq unix n - n - - showq',
		'error unix - - n - - error',
		'retry unix - - n - - error',
		'discard unix - - n - - discard',
		'local unix - n n - - local',
		'anvil unix - - n - 1 anvil',
		'scache unix - - n - 1 scache',
		'postlog unix-dgram n - n - 1 postlogd',
	];
	return rows.join('\n') + '\n';
}

async function workDir(base: string, host: string): Promise<string> {
	const dir = path.join(base, host);
	await mkdir(dir, { recursive: true });
	await chmod(base, 0o755);
	await chmod(dir, 0o755);
	return dir;
}

export interface CasServer {
	readonly host: string;
	readonly cert: TestCert;
	nginx: Daemon;
	dovecot: Daemon;
	rpc: Map<number, Daemon>;
	startNginx(): Promise<Daemon>;
	/** Makes /<vdir>/healthcheck.htm answer 503 (true) or 200 (false). */
	setSick(vdir: string, sick: boolean): Promise<void>;
	startRpc(port: number): Promise<Daemon>;
	stopAll(): Promise<void>;
}

/** A fake Exchange Client Access server in `host`'s namespace, files under `base/host`. */
export async function startCas(lan: Lan, host: string, base: string): Promise<CasServer> {
	const dir = await workDir(base, host);
	const cert = await selfSignedCert(dir, `${host}.exlb.test`);
	const nginxFile = path.join(dir, 'nginx.conf');
	await writeFile(nginxFile, nginxConf(host, dir, cert));
	const dovecotFile = path.join(dir, 'dovecot.conf');
	await writeFile(dovecotFile, dovecotConf(host, dir, cert));
	await mkdir(path.join(dir, 'mail'), { recursive: true, mode: 0o777 });
	await chmod(path.join(dir, 'mail'), 0o777);

	const startNginx = () => startDaemon(lan, host, `nginx@${host}`, path.join(dir, 'nginx.out'), 'nginx', ['-c', nginxFile, '-p', dir], { ports: [80, 443] });
	const startRpc = (port: number) => startDaemon(lan, host, `rpc${port}@${host}`, path.join(dir, `rpc${port}.out`), process.execPath,
		[BANNER_SERVER, `${host} ${port}`, String(port)], { ports: [port] });
	const [nginx, dovecot, ...rpcDaemons] = await Promise.all([
		startNginx(),
		startDaemon(lan, host, `dovecot@${host}`, path.join(dir, 'dovecot.out'), 'dovecot', ['-F', '-c', dovecotFile], { ports: [143, 993, 110, 995] }),
		...RPC_PORTS.map((p) => startRpc(p)),
	]);
	const server: CasServer = {
		host,
		cert,
		nginx: nginx!,
		dovecot: dovecot!,
		rpc: new Map(RPC_PORTS.map((p, i) => [p, rpcDaemons[i]!])),
		startNginx,
		startRpc,
		async setSick(vdir, sick) {
			const marker = path.join(dir, `sick-${vdir}`);
			if (sick) await writeFile(marker, '');
			else await rm(marker, { force: true });
		},
		async stopAll() {
			await Promise.all([server.nginx.stop(), server.dovecot.stop(), ...[...server.rpc.values()].map((d) => d.stop())]);
		},
	};
	return server;
}

export interface HubServer {
	readonly host: string;
	readonly cert: TestCert;
	postfix: Daemon;
	stopAll(): Promise<void>;
}

/** A fake Exchange Hub Transport server: a private postfix instance that accepts and discards mail. */
export async function startHub(lan: Lan, host: string, base: string): Promise<HubServer> {
	const dir = await workDir(base, host);
	const cert = await selfSignedCert(dir, `${host}.exlb.test`);
	const conf = path.join(dir, 'postfix');
	await mkdir(conf, { recursive: true });
	await writeFile(path.join(conf, 'main.cf'), postfixMain(host, dir, cert));
	await writeFile(path.join(conf, 'master.cf'), postfixMaster());
	await mkdir(path.join(dir, 'queue'), { recursive: true });
	// Creates the queue subdirectories with postfix's ownership, as `postfix start` would.
	await execa('postfix', ['-c', conf, 'check']);
	const postfix = await startDaemon(lan, host, `postfix@${host}`, path.join(dir, 'postfix.out'),
		'/usr/lib/postfix/sbin/master', ['-c', conf, '-d'], { ports: [25, 587] });
	return { host, cert, postfix, stopAll: () => postfix.stop() };
}
