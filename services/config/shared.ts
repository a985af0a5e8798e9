// The configuration of an HA pair splits in two. The shared part is what both nodes must agree on to serve the
// same way (services, servers, their drain states, health checks and persistence through the service settings,
// certificates, syslog, the VIP and the VRRP timing); the config primary sends it to its peer, which replaces its
// own shared part with it wholesale, never merging. Everything else is node-local: the appliance's own network
// (host name, address, netmask, gateway, VLAN, routes), its HA role (the VRRP priority) and unicast peer, clock and
// language, the startup of its daemons; the pairing itself and the web accounts live in their own files.
import { createHash } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { ConfigSchema, HaSchema, type Config } from './schema.js';

/** Top-level keys of the shared part; every other key of the model is node-local. */
export const sharedKeys = ['exchangeVersion', 'casServers', 'hubServers', 'serverStates', 'http', 'imap', 'pop3', 'smtp', 'rpc', 'syslog', 'certificates'] as const;
/** The keys of `ha` both nodes share; role and unicastPeer are each node's own. */
export const sharedHaKeys = ['vip', 'clusterId', 'advertIntervalMs', 'preempt', 'preemptDelay'] as const;

const { properties } = ConfigSchema;
export const SharedConfigSchema = Type.Object({
	exchangeVersion: properties.exchangeVersion,
	casServers: properties.casServers,
	hubServers: properties.hubServers,
	serverStates: properties.serverStates,
	http: properties.http,
	imap: properties.imap,
	pop3: properties.pop3,
	smtp: properties.smtp,
	rpc: properties.rpc,
	syslog: properties.syslog,
	certificates: properties.certificates,
	ha: Type.Pick(HaSchema, sharedHaKeys, { additionalProperties: false }),
}, { additionalProperties: false, description: 'the part of the configuration an HA pair shares (sent by the config primary)' });
export type SharedConfig = Static<typeof SharedConfigSchema>;

/** Every field path of the shared part, for the documentation and the interface (e.g. "casServers", "ha.vip"). */
export const sharedPaths: readonly string[] = [...sharedKeys, ...sharedHaKeys.map((key) => `ha.${key}`)];

/** The shared part of a configuration (a copy). */
export function sharedPart(config: Config): SharedConfig {
	const shared = Object.fromEntries(sharedKeys.map((key) => [key, structuredClone(config[key])]));
	const ha = Object.fromEntries(sharedHaKeys.map((key) => [key, config.ha[key]]));
	return { ...shared, ha } as SharedConfig;
}

/** `local` with its whole shared part replaced by `shared` (nothing merged); its node-local part untouched. */
export function withShared(local: Config, shared: SharedConfig): Config {
	const { ha, ...rest } = structuredClone(shared);
	return { ...structuredClone(local), ...rest, ha: { ...local.ha, ...ha } };
}

/** JSON with every object's keys sorted: the same value always gives the same text, whatever order it was built in. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (typeof value === 'object' && value !== null) {
		return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/** SHA-256 (hex) of the shared part's canonical JSON: equal on both nodes exactly when they serve the same way. */
export function sharedHash(config: Config | SharedConfig): string {
	const shared = 'network' in config ? sharedPart(config) : config;
	return createHash('sha256').update(canonicalJson(shared)).digest('hex');
}
