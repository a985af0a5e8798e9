// Which haproxy backends a Config renders, which Exchange service and server role each one carries, and the name
// of every server in them: the map the runtime layer (status, server-wide drain) reads haproxy's answers back with.
// The renderers take their backend and server names from the same helpers (haproxy-parts.ts), and a unit test
// renders every mode and compares the backend/server lines of haproxy.cfg with this list, so they cannot drift.
import type { Config, HttpServiceName, MailServiceName } from '../config/schema.js';
import { mailServiceNames } from '../config/schema.js';
import { mailModeUses, rpcActive } from '../config/services-in-use.js';
import { activeHttpServices } from './haproxy-http.js';
import { forwardBackend, mailBackend, rpcBackends, serverName } from './haproxy-parts.js';

/** A server's role in the Exchange organisation: which list of the config it comes from. */
export type ServerRole = 'cas' | 'hub';

/** What a backend carries: an HTTP service (ssl-offload), all of HTTPS (ssl-forward), a mail protocol or an RPC port. */
export type BackendService =
	| HttpServiceName | 'https'
	| MailServiceName | `${MailServiceName}s`
	| 'rpcEndpointMapper' | 'rpcClientAccess' | 'rpcAddressBook';

export interface BackendPlan {
	readonly backend: string;
	readonly service: BackendService;
	readonly role: ServerRole;
}

export interface BackendServer extends BackendPlan {
	/** haproxy server name in that backend: cas1..cas4, hub1..hub4. */
	readonly server: string;
	/** 1-based position in casServers / hubServers. */
	readonly index: number;
	readonly address: string;
}

const roleList = { cas: 'casServers', hub: 'hubServers' } as const;

/** The addresses of a role, in config order (server n is addresses[n - 1]). */
export function roleAddresses(config: Config, role: ServerRole): readonly string[] {
	return config[roleList[role]];
}

/** The backends haproxy.cfg has for this config, in the order they are rendered. */
export function haproxyBackends(config: Config): BackendPlan[] {
	const plans: BackendPlan[] = [];
	const http = activeHttpServices(config);
	if (http.length > 0 && config.http.mode === 'ssl-offload') {
		for (const spec of http) plans.push({ backend: spec.backend, service: spec.name, role: 'cas' });
	} else if (http.length > 0) {
		plans.push({ backend: forwardBackend, service: 'https', role: 'cas' });
	}
	for (const name of mailServiceNames) {
		const mode = config[name].mode;
		if (mode === 'disabled') continue;
		const uses = mailModeUses(mode);
		const role: ServerRole = name === 'smtp' ? 'hub' : 'cas';
		if (uses.clear || uses.sslOffload) plans.push({ backend: mailBackend(name, false), service: name, role });
		if (uses.sslForward) plans.push({ backend: mailBackend(name, true), service: `${name}s`, role });
	}
	if (rpcActive(config)) {
		plans.push(
			{ backend: rpcBackends.endpointMapper, service: 'rpcEndpointMapper', role: 'cas' },
			{ backend: rpcBackends.clientAccess, service: 'rpcClientAccess', role: 'cas' },
			{ backend: rpcBackends.addressBook, service: 'rpcAddressBook', role: 'cas' },
		);
	}
	return plans;
}

/** Every (backend, server) pair haproxy.cfg has for this config, with the model's view of it. */
export function backendServers(config: Config): BackendServer[] {
	return haproxyBackends(config).flatMap((plan) => roleAddresses(config, plan.role).map((address, position) => ({
		...plan, server: serverName(plan.role, position + 1), index: position + 1, address,
	})));
}

/**
 * The pairs of one Exchange server, by address: an address listed as CAS and as HUB (a 2010 multi-role server)
 * is one machine, so its CAS and its SMTP backends are all returned.
 */
export function serversAt(config: Config, address: string): BackendServer[] {
	return backendServers(config).filter((entry) => entry.address === address);
}

/** Address → its (backend, server) pairs, for every CAS and HUB address of the config (empty list: no backend uses it). */
export function serversByAddress(config: Config): Map<string, BackendServer[]> {
	const map = new Map<string, BackendServer[]>([...config.casServers, ...config.hubServers].map((address) => [address, []]));
	for (const entry of backendServers(config)) map.get(entry.address)!.push(entry);
	return map;
}
