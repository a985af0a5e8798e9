// Idle timeouts of the Exchange HTTP services. The long-lived ones (Outlook Anywhere, MAPI over HTTP, EWS,
// ActiveSync) get their protocol's longest idle period plus a margin; the request/response ones (OWA, ECP, OAB,
// Autodiscover) get http.timeout. Sources are in the README ("HTTP timeouts").
import type { Config, HttpServiceName } from '../config/schema.js';

/** Over a protocol's longest idle period: the CAS's own timer slack and a few TCP retransmissions. */
export const idleMargin = 60;

export interface LongIdle {
	/** The protocol's longest idle period, seconds. */
	readonly protocolSeconds: number;
	readonly basis: string;
}

export const longIdleServices: Readonly<Partial<Record<HttpServiceName, LongIdle>>> = {
	outlookAnywhere: { protocolSeconds: 900, basis: 'RPC over HTTP keep-alive: 12 min client to server, 15 min server to client (KB 2535656)' },
	mapi: { protocolSeconds: 300, basis: 'NotificationWait answered within 5 min (MS-OXCMAPIHTTP 2.2.4.4, MS-OXCRPC 3.3.4.1)' },
	ews: { protocolSeconds: 1800, basis: 'streaming notifications: GetStreamingEvents ConnectionTimeout up to 30 min' },
	activesync: { protocolSeconds: 3540, basis: 'Ping and Sync Wait: heartbeat up to 3540 s (MS-ASCMD)' },
};

export interface ServiceIdle {
	readonly seconds: number;
	/** The config field behind the value (null: fixed by the protocol). */
	readonly field: string | null;
}

/** The idle timeout of one HTTP service, client and server side. */
export function serviceIdle(config: Config, name: HttpServiceName): ServiceIdle {
	const long = longIdleServices[name];
	return long === undefined ? { seconds: config.http.timeout, field: 'http.timeout' } : { seconds: long.protocolSeconds + idleMargin, field: null };
}

/** ssl-forward: one TLS stream may carry any service, so it gets the longest idle timeout of the enabled ones. */
export function longestIdle(config: Config, names: readonly HttpServiceName[]): ServiceIdle {
	return names.map((name) => serviceIdle(config, name)).reduce((longest, idle) => (idle.seconds > longest.seconds ? idle : longest));
}
