// stunnel-<service>.conf: TLS termination for each ssl-offload service, one stunnel process per service; each
// connection goes to haproxy over a unix socket with a PROXY header, so haproxy still sees (and sticks on) the
// client's address. Idle timeouts are haproxy's (its frontend closes an idle connection, stunnel follows).
import type { Config } from '../config/schema.js';
import path from 'node:path';
import { mailServiceNames, selfSignedCertName } from '../config/schema.js';
import { mailModeUses } from '../config/services-in-use.js';
import { RenderedText, generatedHeader } from './lines.js';
import { type RenderEnv, certificateFile, offloadSocket } from './env.js';
import { configFileName, type StunnelService } from './daemons.js';

interface OffloadedService {
	readonly name: StunnelService;
	readonly port: number;
	readonly portField: string;
	readonly certificate: string;
	readonly certificateField: string;
}

export function offloadedServices(config: Config): OffloadedService[] {
	const services: OffloadedService[] = [];
	if (config.http.mode === 'ssl-offload') {
		services.push({
			name: 'https', port: config.http.virtualHttpsPort, portField: 'http.virtualHttpsPort',
			certificate: config.http.certificate, certificateField: 'http.certificate',
		});
	}
	for (const name of mailServiceNames) {
		const service = config[name];
		if (service.mode === 'disabled' || !mailModeUses(service.mode).sslOffload) continue;
		services.push({
			name: `${name}s`, port: service.virtualSslPort, portField: `${name}.virtualSslPort`,
			certificate: service.certificate, certificateField: `${name}.certificate`,
		});
	}
	return services;
}

function certificateIdentity(config: Config, name: string): string {
	if (name === selfSignedCertName) return `generated for ${config.http.hostName}`;
	const info = config.certificates.find((cert) => cert.name === name);
	return info === undefined ? name : `${name} SHA-256 ${info.fingerprint}`;
}

/** File name (stunnel-<service>.conf) → config, for every offloaded service. */
export function renderStunnel(config: Config, env: RenderEnv): Map<string, RenderedText> {
	const files = new Map<string, RenderedText>();
	for (const service of offloadedServices(config)) {
		const daemon = `stunnel-${service.name}` as const;
		const out = new RenderedText();
		out.line(generatedHeader(';'));
		out.line(`foreground = ${env.stunnelForeground ? 'yes' : 'no'}`);
		out.line(`pid = ${env.stunnelForeground ? '' : path.join(path.dirname(env.stunnelPidFile), `${daemon}.pid`)}`);
		if (env.daemonUser?.stunnel) out.line(`setuid = ${env.daemonUser.stunnel}`).line(`setgid = ${env.daemonUser.stunnel}`);
		out.line('debug = notice');
		// In the foreground stunnel logs to stderr, which the unit sends to the journal: syslog too would log every line twice.
		if (env.stunnelForeground) out.line('syslog = no');
		out.line('socket = l:TCP_NODELAY=1');
		out.line('socket = r:TCP_NODELAY=1');
		out.blank();
		out.line(`[${service.name}]`);
		// Names the certificate's content, so replacing a certificate changes this file and apply reloads stunnel.
		out.line(`; certificate: ${certificateIdentity(config, service.certificate)}`, service.certificateField);
		out.line(`accept = ${env.bindAddress === '' ? '' : `${env.bindAddress}:`}${service.port}`, service.portField);
		out.line(`connect = ${offloadSocket(env, service.name)}`);
		out.line('protocol = proxy');
		out.line(`cert = ${certificateFile(env, service.certificate)}`, service.certificateField);
		out.line('sslVersionMin = TLSv1.2');
		// Errors only per connection: logging each connection at "notice" cut the TLS handshake rate by 2.5x
		// (measured with openssl s_time). The global level stays "notice" for "Configuration successful".
		out.line('debug = warning');
		files.set(configFileName(daemon), out);
	}
	return files;
}
