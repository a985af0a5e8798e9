// syslog.server may be a host name, but haproxy refuses to start on a log target it cannot resolve. So the engine
// resolves the name before rendering and, when it does not resolve, renders without forwarding and says so in a
// warning: logging never stops the traffic. The next apply tries again.
import { lookup } from 'node:dns/promises';
import type { Config } from '../config/schema.js';
import { parseIpv4 } from '../config/ipv4.js';
import type { ConfigIssue } from '../config/issues.js';

/** Resolves a host name to one IPv4 address. */
export type Lookup = (name: string) => Promise<string>;

const systemLookup: Lookup = async (name) => (await lookup(name, { family: 4 })).address;

export interface SyslogResolution {
	/** The address to send to; null when there is none (no server, or a name that did not resolve). */
	readonly address: string | null;
	readonly warning: ConfigIssue | null;
}

export async function resolveSyslogServer(config: Config, options: { lookup?: Lookup; timeoutMs?: number } = {}): Promise<SyslogResolution> {
	const { server } = config.syslog;
	if (server === '') return { address: null, warning: null };
	if (parseIpv4(server) !== null) return { address: server, warning: null };
	const timeoutMs = options.timeoutMs ?? 5000;
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
	});
	try {
		const address = await Promise.race([(options.lookup ?? systemLookup)(server), timeout]);
		if (parseIpv4(address) === null) throw new Error(`resolved to ${JSON.stringify(address)}, not an IPv4 address`);
		return { address, warning: null };
	} catch (error) {
		const message = `${server} does not resolve now (${(error as Error).message}): haproxy's logs are not forwarded until an apply resolves it`;
		return { address: null, warning: { path: 'syslog.server', value: server, message } };
	} finally {
		clearTimeout(timer);
	}
}
