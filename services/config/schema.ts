// The one config model of the appliance: the console agent, the CLI, boot and the renderers all use this schema.
// Every node carries its default and a description; the README reference and exlb.schema.json are generated from it.
import { Type, type Static, type TSchema, type TUnion, type TLiteral } from '@sinclair/typebox';
import { hostnamePattern, fqdnPattern, certNamePattern } from './grammar.js';

/** What a value is, beyond its JSON type: picks the wording of validation messages. */
export type FieldKind =
	| 'choice' | 'vlan' | 'port' | 'ipv4' | 'optionalIpv4' | 'netmask' | 'hostname' | 'fqdn'
	| 'certName' | 'certRef' | 'seconds' | 'date' | 'text' | 'host' | 'version' | 'timezone' | 'serverStates';

const dottedQuad = '^[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$';

function port(value: number, description: string) {
	return Type.Integer({ minimum: 1, maximum: 65535, default: value, description, 'x-kind': 'port' });
}
function seconds(value: number, description: string) {
	return Type.Integer({ minimum: 1, maximum: 86400, default: value, description, 'x-kind': 'seconds' });
}
function ipv4(value: string, description: string) {
	return Type.String({ pattern: dottedQuad, default: value, description, 'x-kind': 'ipv4' });
}
function optionalIpv4(value: string, description: string) {
	return Type.String({ pattern: `^$|${dottedQuad}`, default: value, description, 'x-kind': 'optionalIpv4' });
}
/** Name of the certificate generated on the appliance for http.hostName when none is imported. */
export const selfSignedCertName = 'self-signed';

function modes<const T extends readonly string[]>(values: T, value: T[number], description: string) {
	return Type.Union(values.map((mode) => Type.Literal(mode)), { default: value, description, 'x-kind': 'choice' }) as unknown as TUnion<TLiteral<T[number]>[]>;
}
function flag(value: boolean, description: string) {
	return Type.Boolean({ default: value, description });
}
function certRef(description: string) {
	return Type.String({ pattern: `^$|${certNamePattern}`, default: selfSignedCertName, description, 'x-kind': 'certRef' });
}

export const networkSources = ['factory', 'dhcp', 'static'] as const;
export const haRoles = ['disabled', 'master', 'backup'] as const;
export const haPreemptModes = ['after-delay', 'never'] as const;
/** VRRP advertisement interval bounds, milliseconds (keepalived's VRRPv3 allows 10 ms to 40.95 s). */
export const haAdvertIntervalMs = { minimum: 50, maximum: 10_000, default: 250 } as const;
export const exchangeVersions = ['2010', '2013+'] as const;
export const httpModes = ['disabled', 'ssl-offload', 'ssl-forward'] as const;
export const mailModes = ['disabled', 'clear', 'ssl-forward', 'ssl-offload', 'clear-and-ssl-forward', 'clear-and-ssl-offload'] as const;
export const rpcModes = ['enabled', 'disabled'] as const;
/** Administrative states an Exchange server can be put in on the balancer (absent = ready, in service). */
export const serverAdminStates = ['drain', 'maint'] as const;

export const RouteSchema = Type.Object({
	network: ipv4('10.0.0.0', 'destination network address'),
	netmask: Type.String({ pattern: dottedQuad, default: '255.0.0.0', description: 'destination netmask', 'x-kind': 'netmask' }),
	router: ipv4('192.168.0.1', 'next hop, on the appliance\'s subnet'),
}, { additionalProperties: false });

export const NetworkSchema = Type.Object({
	hostname: Type.String({
		pattern: hostnamePattern, maxLength: 253, default: 'exlb', description: 'the appliance\'s host name (RFC 1123)', 'x-kind': 'hostname',
	}),
	source: modes(networkSources, 'factory', 'factory: DHCP, falling back to 192.168.0.200/24 when no server answers (done by the console agent); dhcp; static'),
	address: ipv4('192.168.0.200', 'IPv4 address (static; also the factory fallback)'),
	netmask: Type.String({ pattern: dottedQuad, default: '255.255.255.0', description: 'IPv4 netmask (contiguous, /1 to /30)', 'x-kind': 'netmask' }),
	gateway: optionalIpv4('', 'default gateway, on the same subnet; empty = none'),
	vlan: Type.Union([Type.Integer({ minimum: 1, maximum: 4094 }), Type.Null()], {
		default: null, description: '802.1Q VLAN id (1-4094) or null for untagged', 'x-kind': 'vlan',
	}),
	routes: Type.Array(RouteSchema, { maxItems: 4, default: [], description: 'up to 4 static routes' }),
}, { additionalProperties: false, description: 'the appliance\'s own network settings' });

export const HaSchema = Type.Object({
	role: modes(haRoles, 'disabled', 'VRRP role of this node: disabled, master or backup (the master has the higher priority; one node of a pair each)'),
	vip: optionalIpv4('', 'virtual service address the clients use (required when the role is not disabled), on the appliance\'s subnet'),
	clusterId: Type.Integer({ minimum: 1, maximum: 255, default: 51, description: 'VRRP virtual router id (1-255): the same on both nodes, unique on the LAN' }),
	advertIntervalMs: Type.Integer({
		minimum: haAdvertIntervalMs.minimum, maximum: haAdvertIntervalMs.maximum, default: haAdvertIntervalMs.default,
		description: `VRRP advertisement interval, milliseconds (${haAdvertIntervalMs.minimum}-${haAdvertIntervalMs.maximum}, a multiple of 10: VRRPv3 counts centiseconds); the backup takes over after about 3.6 intervals without an advertisement`,
	}),
	preempt: modes(haPreemptModes, 'after-delay',
		'when the master comes back while the backup holds the VIP: after-delay (it takes the VIP back once healthy for ha.preemptDelay seconds) or never (the backup keeps the VIP until it fails)'),
	preemptDelay: Type.Integer({ minimum: 0, maximum: 1000, default: 30, description: 'seconds a returning master waits, healthy, before it takes the VIP back (0-1000; with preempt after-delay)' }),
	unicastPeer: optionalIpv4('', 'the other node\'s address: VRRP advertisements are sent to it by unicast, for networks that drop VRRP multicast; empty = multicast'),
}, { additionalProperties: false, description: 'high availability (a VRRP master/backup pair)' });

function serverList(description: string) {
	return Type.Array(ipv4('192.168.0.10', 'server address'), { maxItems: 4, default: [], description });
}

export const HttpServicesSchema = Type.Object({
	owa: flag(true, 'Outlook Web App (/owa)'),
	ecp: flag(true, 'Exchange Control Panel (/ecp)'),
	oab: flag(true, 'Offline Address Book (/oab)'),
	autodiscover: flag(true, 'Autodiscover (/autodiscover)'),
	ews: flag(true, 'Exchange Web Services (/ews)'),
	activesync: flag(true, 'ActiveSync (/Microsoft-Server-ActiveSync)'),
	outlookAnywhere: flag(true, 'Outlook Anywhere, RPC over HTTP (/rpc)'),
	mapi: flag(true, 'MAPI over HTTP (/mapi), Exchange 2013+ only'),
}, { additionalProperties: false, description: 'which HTTP services are load-balanced' });

export const HttpSchema = Type.Object({
	mode: modes(httpModes, 'ssl-forward',
		'disabled; ssl-offload (TLS ends on the appliance, CAS reached in clear HTTP); ssl-forward (TLS passed through to the CAS HTTPS port)'),
	hostName: Type.String({
		pattern: fqdnPattern, maxLength: 253, default: 'mail.example.com',
		description: 'the FQDN clients use: sent in health checks and in the HTTP→HTTPS redirect', 'x-kind': 'fqdn',
	}),
	virtualHttpsPort: port(443, 'virtual HTTPS port clients connect to'),
	redirectHttpPort: port(80, 'virtual HTTP port that redirects to HTTPS'),
	casHttpPort: port(80, 'CAS HTTP port (ssl-offload)'),
	casHttpsPort: port(443, 'CAS HTTPS port (ssl-forward)'),
	timeout: seconds(25,
		'inactivity timeout, seconds, of OWA, ECP, OAB and Autodiscover (client and server side) and of an idle HTTPS connection between two requests, with ssl-offload (at least 10); Outlook Anywhere, MAPI, EWS and ActiveSync have their own (see "HTTP timeouts")'),
	services: HttpServicesSchema,
	certificate: certRef('certificate for ssl-offload: "self-signed" (generated for hostName), an imported certificate\'s name, or empty'),
}, { additionalProperties: false, description: 'HTTP(S) services of the CAS servers' });

function mailSchema(name: string, clearPort: number, sslPort: number, timeout: number, servers: string, protocolMinimum: string) {
	return Type.Object({
		mode: modes(mailModes, 'disabled', `disabled, clear, ssl-forward, ssl-offload, clear-and-ssl-forward or clear-and-ssl-offload`),
		virtualClearPort: port(clearPort, `virtual clear-text ${name} port`),
		virtualSslPort: port(sslPort, `virtual TLS ${name} port`),
		serverClearPort: port(clearPort, `clear-text ${name} port on the ${servers} servers (clear and ssl-offload)`),
		serverSslPort: port(sslPort, `TLS ${name} port on the ${servers} servers (ssl-forward)`),
		timeout: seconds(timeout, `client and server inactivity timeout, seconds (a warning below ${protocolMinimum})`),
		certificate: certRef('certificate for ssl-offload: "self-signed", an imported certificate\'s name, or empty'),
	}, { additionalProperties: false, description: `${name} (to the ${servers} servers)` });
}

export const ImapSchema = mailSchema('IMAP', 143, 993, 1800, 'CAS', '1800: IMAP IDLE, RFC 2177');
export const Pop3Schema = mailSchema('POP3', 110, 995, 600, 'CAS', '600: RFC 1939');
export const SmtpSchema = mailSchema('SMTP', 25, 587, 600, 'HUB', '300: RFC 5321');

export const RpcSchema = Type.Object({
	mode: modes(rpcModes, 'enabled', 'enabled or disabled (Exchange 2010 only; ignored for 2013+)'),
	endpointMapperPort: port(135, 'RPC endpoint mapper port'),
	clientAccessPort: port(60000, 'static RPC Client Access port configured on the CAS servers'),
	addressBookPort: port(60001, 'static Address Book port configured on the CAS servers'),
	timeout: seconds(3600, 'client and server inactivity timeout, seconds (a warning below 360: notification waits last up to 5 minutes, MS-OXCRPC)'),
}, { additionalProperties: false, description: 'MAPI/RPC services of Exchange 2010 (Outlook inside the LAN)' });

export const syslogProtocols = ['udp', 'tcp'] as const;
export const journalLevels = ['errors', 'all'] as const;

export const SyslogSchema = Type.Object({
	server: Type.String({
		pattern: `^$|${hostnamePattern}`, maxLength: 253, default: '',
		description: 'remote syslog server (IPv4 address or host name) that receives haproxy\'s traffic logs in RFC 5424 format; empty = none', 'x-kind': 'host',
	}),
	protocol: modes(syslogProtocols, 'udp', 'udp, or tcp (RFC 6587 octet counting)'),
	port: port(514, 'syslog port on the server'),
	journal: modes(journalLevels, 'errors',
		'what of the traffic logs the appliance\'s own journal keeps: errors (failed requests and sessions, retries, 5xx, server up/down) or all (every request and session too, for troubleshooting: about a quarter of the capacity at saturation). syslog.server always gets every line'),
}, { additionalProperties: false, description: 'traffic logs: the appliance\'s journal, and forwarding to a syslog server' });

export const languages = ['en', 'fr'] as const;
export const startupModes = ['auto', 'manual'] as const;

export const StartupSchema = Type.Object({
	vrrp: modes(startupModes, 'auto', 'auto: keepalived is started at boot and by every apply that needs it; manual: only by hand'),
	haproxy: modes(startupModes, 'auto', 'auto or manual, for haproxy'),
	stunnel: modes(startupModes, 'auto', 'auto or manual, for stunnel (TLS offload)'),
}, { additionalProperties: false, description: 'startup of the original\'s services (guide 6): a manual one is never started on its own' });

export const SystemSchema = Type.Object({
	timezone: Type.String({
		pattern: '^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+){0,2}$', maxLength: 64, default: 'UTC',
		description: 'time zone of the appliance\'s clock and logs (an IANA name such as Europe/Paris, or UTC)', 'x-kind': 'timezone',
	}),
	ntpServers: Type.Array(Type.String({
		pattern: hostnamePattern, maxLength: 253, default: 'pool.ntp.org', description: 'an NTP server (IPv4 address or host name)', 'x-kind': 'host',
	}), { maxItems: 4, default: [], description: 'up to 4 NTP servers; none = Debian\'s NTP pool' }),
	language: modes(languages, 'en', 'language of the web interface: en or fr'),
}, { additionalProperties: false, description: 'the appliance\'s clock and interface language (the original setup tab)' });

/** The configuration format this code writes; older files are migrated when read (services/config/migrate.ts). */
export const configVersion = 2;

export const CertificateSchema = Type.Object({
	name: Type.String({
		pattern: certNamePattern, description: 'name of the certificate (its file is certDir/NAME.pem: key, certificate, chain)', 'x-kind': 'certName',
	}),
	commonName: Type.String({ pattern: '^[\\x20-\\x7e]{0,256}$', description: 'subject common name' }),
	notBefore: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$', description: 'start of validity (ISO 8601, UTC)', 'x-kind': 'date' }),
	notAfter: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$', description: 'end of validity (ISO 8601, UTC)', 'x-kind': 'date' }),
	selfSigned: Type.Boolean({ description: 'issuer equals subject' }),
	fingerprint: Type.String({ pattern: '^[0-9A-F]{2}(:[0-9A-F]{2}){31}$', description: 'SHA-256 fingerprint of the certificate' }),
}, { additionalProperties: false });

export const ConfigSchema = Type.Object({
	version: Type.Literal(configVersion, {
		default: configVersion, description: 'format of this configuration; files without it (version 1) are migrated when read', 'x-kind': 'version',
	}),
	network: NetworkSchema,
	ha: HaSchema,
	exchangeVersion: modes(exchangeVersions, '2010', 'Exchange version: 2010, or 2013+ (2013/2016/2019: MAPI over HTTP, healthcheck.htm pages, no affinity)'),
	casServers: serverList('Client Access servers (1 to 4 addresses)'),
	hubServers: serverList('Hub Transport servers for SMTP (1 to 4 addresses)'),
	serverStates: Type.Record(
		Type.String({ pattern: dottedQuad }),
		Type.Union(serverAdminStates.map((state) => Type.Literal(state)), { 'x-kind': 'choice' }),
		{
			default: {}, additionalProperties: false, 'x-kind': 'serverStates',
			description: 'Exchange servers taken out of service on the balancer, by address (a casServers or hubServers entry; in every backend that uses it): '
				+ '"drain" (no new sessions except persistent ones, health-checked) or "maint" (no traffic, no checks); absent = ready',
		},
	),
	http: HttpSchema,
	imap: ImapSchema,
	pop3: Pop3Schema,
	smtp: SmtpSchema,
	rpc: RpcSchema,
	syslog: SyslogSchema,
	system: SystemSchema,
	startup: StartupSchema,
	certificates: Type.Array(CertificateSchema, {
		maxItems: 16, default: [], description: 'imported certificates (metadata; the PEM files live in the cert dir)',
	}),
}, { additionalProperties: false, $id: 'https://exlb.example/exlb.schema.json', title: 'exlb appliance configuration' });

export type Config = Static<typeof ConfigSchema>;
export type NetworkConfig = Static<typeof NetworkSchema>;
export type SystemConfig = Static<typeof SystemSchema>;
export type HaConfig = Static<typeof HaSchema>;
export type HttpConfig = Static<typeof HttpSchema>;
export type HttpServiceName = keyof Static<typeof HttpServicesSchema>;
export type MailConfig = Static<typeof ImapSchema>;
export type RpcConfig = Static<typeof RpcSchema>;
export type SyslogConfig = Static<typeof SyslogSchema>;
export type CertificateInfo = Static<typeof CertificateSchema>;
export type HttpMode = (typeof httpModes)[number];
export type MailMode = (typeof mailModes)[number];
export type MailServiceName = 'imap' | 'pop3' | 'smtp';
export type ServerAdminState = (typeof serverAdminStates)[number];
export const mailServiceNames: readonly MailServiceName[] = ['imap', 'pop3', 'smtp'];

/** Builds the value a schema node describes from the defaults it carries (objects recursively). */
export function defaultOf(schema: TSchema): unknown {
	if (schema.type === 'object' && schema.properties) {
		return Object.fromEntries(Object.entries(schema.properties as Record<string, TSchema>).map(([key, child]) => [key, defaultOf(child)]));
	}
	return structuredClone(schema.default);
}

/** The original appliance's factory settings (plus our 2013+ and certificate additions). */
export function defaultConfig(): Config {
	return defaultOf(ConfigSchema) as Config;
}
