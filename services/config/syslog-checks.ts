// The remote syslog target: an address haproxy can send to, or a host name (resolved by the engine at apply time).
import type { Config } from './schema.js';
import { parseIpv4 } from './ipv4.js';
import type { Report } from './issues.js';

/** Why an IPv4 address cannot receive logs (null = usable). Loopback is allowed: a relay on the appliance itself. */
export function syslogAddressProblem(address: string): string | null {
	const value = parseIpv4(address);
	if (value === null) return null;
	const first = value >>> 24;
	if (first === 0 || first >= 224) return `${address} cannot receive syslog messages (not a unicast address)`;
	return null;
}

export function syslogChecks(config: Config, error: Report): void {
	const { server } = config.syslog;
	const problem = server === '' ? null : syslogAddressProblem(server);
	if (problem !== null) error('syslog.server', server, problem);
}
