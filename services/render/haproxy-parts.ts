// Building blocks of haproxy.cfg shared by the HTTP, mail and RPC sections: server lines and health-check options.
import type { Config, MailServiceName } from '../config/schema.js';
import type { RenderedText } from './lines.js';

export interface ServerPool {
	/** Server name prefix: cas or hub (servers are cas1..cas4 / hub1..hub4). */
	readonly prefix: 'cas' | 'hub';
	readonly field: 'casServers' | 'hubServers';
	readonly addresses: readonly string[];
}

/** The name of a pool's index-th server (1-based): cas1..cas4, hub1..hub4. haproxy-servers.ts reads the same names back. */
export const serverName = (role: ServerPool['prefix'], index: number): string => `${role}${index}`;
/** Backend of a mail service: be_imap (clear, or TLS ended by stunnel) or be_imaps (TLS passed through). */
export const mailBackend = (name: MailServiceName, tls: boolean): string => `be_${name}${tls ? 's' : ''}`;
/** The one backend of ssl-forward (every HTTP service in one TLS stream). */
export const forwardBackend = 'be_https';
/** Backends of the Exchange 2010 RPC ports; the endpoint mapper's is the group the two others track. */
export const rpcBackends = { endpointMapper: 'be_rpc_epm', clientAccess: 'be_rpc_ca', addressBook: 'be_rpc_ab' } as const;

export const casPool = (config: Config): ServerPool => ({ prefix: 'cas', field: 'casServers', addresses: config.casServers });
export const hubPool = (config: Config): ServerPool => ({ prefix: 'hub', field: 'hubServers', addresses: config.hubServers });

/**
 * Health-check timing and reaction shared by every checked server: a dead server's sessions are cut at once.
 * Ten failed connections in a row make the checks run every second (fall 3: down about 2 s later), rather than
 * marking the server down at the tenth: a mark-down cuts every request still connecting to it, which redispatch
 * was about to send to another server (seen in test/integration/redispatch.test.ts as empty replies).
 */
const checkOptions = 'check inter 5s fastinter 1s fall 3 rise 2 observe layer4 error-limit 10 on-error fastinter on-marked-down shutdown-sessions';

export interface ServerLineOptions {
	readonly port: number;
	/** Extra words after the address (cookie, verify none, ...), per server. */
	readonly extra?: (name: string) => string;
	/** Instead of checking, follow another backend's server of the same name (RPC group). */
	readonly trackBackend?: string;
}

/** `server cas1 10.0.0.1:80 id 1 check ...` for every address of a pool; ids are stable so stick tables can be shared. */
export function serverLines(out: RenderedText, pool: ServerPool, options: ServerLineOptions): void {
	pool.addresses.forEach((address, index) => {
		const name = serverName(pool.prefix, index + 1);
		const words = [`server ${name} ${address}:${options.port} id ${index + 1}`];
		if (options.extra) words.push(options.extra(name));
		words.push(options.trackBackend === undefined ? checkOptions : `track ${options.trackBackend}/${name} on-marked-down shutdown-sessions`);
		out.line(`    ${words.filter((word) => word !== '').join(' ')}`, `${pool.field}[${index}]`);
	});
}

export function timeoutLine(out: RenderedText, kind: 'client' | 'server', seconds: number, field: string | null): void {
	out.line(`    timeout ${kind} ${seconds}s`, field);
}

/** Accepts what Exchange 2010 answers on a healthy vdir without credentials: 2xx, 3xx or 401. */
/** Client affinity entries: 100k clients, forgotten after 2 h without a request (stick-table size and expire). */
export const stickTableLimits = 'size 100k expire 2h';

export const exchange2010Status = 'rstatus ^(2[0-9][0-9]|3[0-9][0-9]|401)$';
