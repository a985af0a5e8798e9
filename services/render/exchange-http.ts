// What Exchange needs per HTTP service: URL prefixes, health check request, and the persistence of 2010.
// (2013+ needs no affinity and offers /<vdir>/healthcheck.htm on every protocol.)
import type { HttpServiceName } from '../config/schema.js';

export type Persistence = 'cookie' | 'authorization' | 'source' | 'none';

export interface HttpServiceSpec {
	readonly name: HttpServiceName;
	/** haproxy backend name. */
	readonly backend: string;
	/** Virtual directories (first one is the canonical one, used for the 2013+ health page). */
	readonly paths: readonly string[];
	/** Exchange 2010 health check: method and URI answered by a healthy CAS (2xx, 3xx or 401). */
	readonly check2010: { readonly method: string; readonly uri: string };
	readonly persistence2010: Persistence;
	readonly only2013: boolean;
	/** Its requests only read (Autodiscover queries, OAB downloads): safe to send again to another CAS. */
	readonly replaySafe: boolean;
}

export const httpServiceSpecs: readonly HttpServiceSpec[] = [
	{ name: 'owa', backend: 'be_owa', paths: ['/owa', '/exchange', '/exchweb', '/public'], check2010: { method: 'GET', uri: '/owa/auth/logon.aspx' }, persistence2010: 'cookie', only2013: false, replaySafe: false },
	{ name: 'ecp', backend: 'be_ecp', paths: ['/ecp'], check2010: { method: 'GET', uri: '/ecp/' }, persistence2010: 'cookie', only2013: false, replaySafe: false },
	{ name: 'oab', backend: 'be_oab', paths: ['/oab'], check2010: { method: 'GET', uri: '/oab/' }, persistence2010: 'none', only2013: false, replaySafe: true },
	{ name: 'autodiscover', backend: 'be_autodiscover', paths: ['/autodiscover'], check2010: { method: 'GET', uri: '/autodiscover/autodiscover.xml' }, persistence2010: 'none', only2013: false, replaySafe: true },
	{ name: 'ews', backend: 'be_ews', paths: ['/ews'], check2010: { method: 'GET', uri: '/ews/exchange.asmx' }, persistence2010: 'source', only2013: false, replaySafe: false },
	{ name: 'activesync', backend: 'be_activesync', paths: ['/microsoft-server-activesync'], check2010: { method: 'GET', uri: '/Microsoft-Server-ActiveSync' }, persistence2010: 'authorization', only2013: false, replaySafe: false },
	{ name: 'outlookAnywhere', backend: 'be_outlookanywhere', paths: ['/rpc'], check2010: { method: 'RPC_IN_DATA', uri: '/rpc/rpcproxy.dll' }, persistence2010: 'source', only2013: false, replaySafe: false },
	{ name: 'mapi', backend: 'be_mapi', paths: ['/mapi'], check2010: { method: 'GET', uri: '/mapi/' }, persistence2010: 'none', only2013: true, replaySafe: false },
];

/** 2013+ health page of a service: /<vdir>/healthcheck.htm. */
export function healthPage2013(spec: HttpServiceSpec): string {
	const vdir = spec.name === 'activesync' ? '/Microsoft-Server-ActiveSync' : spec.paths[0]!;
	return `${vdir}/healthcheck.htm`;
}

/** Cookie inserted for OWA and ECP: one name for both, so ECP lands on the CAS holding the OWA session. */
export const casCookieName = 'EXLBCAS';
