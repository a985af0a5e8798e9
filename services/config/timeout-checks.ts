// Idle timeouts the protocols need. http.timeout governs only the request/response services (OWA, ECP, OAB,
// Autodiscover) since configuration version 2, so it is refused only below what those need; the mail and RPC
// timeouts govern whole protocols and are warned about below the protocol's own idle period (not refused:
// a site may have chosen a shorter one on purpose, e.g. for a firewall in front).
import type { Config } from './schema.js';
import { mailServiceNames } from './schema.js';
import { rpcActive } from './services-in-use.js';
import type { Report } from './issues.js';

/** http.timeout: below this a busy CAS's ordinary answer (or a TCP retransmission) is cut; above, idle sockets pile up. */
export const httpTimeoutLimits = { minimum: 10, warnAbove: 300 } as const;

/** The idle period each TCP protocol allows its clients, which the balancer must not cut. */
export const protocolIdleMinimums = {
	imap: { seconds: 1800, why: 'IMAP IDLE clients re-issue IDLE only every 29 minutes (RFC 2177) and servers wait 30 minutes (RFC 3501)' },
	pop3: { seconds: 600, why: 'a POP3 server waits at least 10 minutes for an idle client (RFC 1939)' },
	smtp: { seconds: 300, why: 'SMTP allows 5 minutes for a command and 10 for the end of DATA (RFC 5321 4.5.3.2)' },
	rpc: { seconds: 360, why: 'Outlook\'s notification wait (EcDoAsyncWaitEx) stays idle up to 5 minutes (MS-OXCRPC 3.3.4.1)' },
} as const;

function checkHttpTimeout(config: Config, error: Report, warn: Report): void {
	const { timeout } = config.http;
	if (timeout < httpTimeoutLimits.minimum) {
		error('http.timeout', timeout, `${timeout} s would cut OWA, ECP, OAB and Autodiscover answers a busy CAS takes seconds to send (at least ${httpTimeoutLimits.minimum})`);
	} else if (timeout > httpTimeoutLimits.warnAbove) {
		warn('http.timeout', timeout, `keeps idle OWA, ECP, OAB and Autodiscover connections ${timeout} s; Outlook Anywhere, MAPI, EWS and ActiveSync no longer need it (they have their own timeouts; the default is 25 s)`);
	}
}

export function timeoutChecks(config: Config, error: Report, warn: Report): void {
	checkHttpTimeout(config, error, warn);
	for (const name of mailServiceNames) {
		const { mode, timeout } = config[name];
		const need = protocolIdleMinimums[name];
		if (mode !== 'disabled' && timeout < need.seconds) warn(`${name}.timeout`, timeout, `${timeout} s is shorter than ${need.seconds} s: ${need.why}`);
	}
	const rpc = protocolIdleMinimums.rpc;
	if (rpcActive(config) && config.rpc.timeout < rpc.seconds) warn('rpc.timeout', config.rpc.timeout, `${config.rpc.timeout} s is shorter than ${rpc.seconds} s: ${rpc.why}`);
}
