// Checks that involve more than one field: subnets, port clashes, certificates, empty server lists.
// They run only on input that already passed the per-field checks, so every value has its type.
import type { Config } from './schema.js';
import { mailServiceNames, selfSignedCertName } from './schema.js';
import { mailModeUses, rpcActive } from './services-in-use.js';
import { timeoutChecks } from './timeout-checks.js';
import { syslogChecks } from './syslog-checks.js';
import { parseIpv4, hostAddressProblem, gatewayProblem, sameSubnet, formatIpv4, netmaskToPrefix } from './ipv4.js';
import { pathFromSegments, showValue, type ConfigIssue, type Report } from './issues.js';

export interface CrossCheckResult {
	readonly errors: ConfigIssue[];
	readonly warnings: ConfigIssue[];
}

export function crossChecks(config: Config, now: Date = new Date()): CrossCheckResult {
	const errors: ConfigIssue[] = [];
	const warnings: ConfigIssue[] = [];
	const error = (path: string, value: unknown, message: string) => errors.push({ path, value, message });
	const warn = (path: string, value: unknown, message: string) => warnings.push({ path, value, message });
	checkNetwork(config, error, warn);
	checkHa(config, error, warn);
	checkServers(config, error, warn);
	checkServerStates(config, error, warn);
	checkPorts(config, error);
	checkCertificates(config, now, error, warn);
	timeoutChecks(config, error, warn);
	syslogChecks(config, error);
	if (config.http.mode !== 'disabled') {
		const enabled = Object.entries(config.http.services).filter(([name, on]) => on && (name !== 'mapi' || config.exchangeVersion === '2013+'));
		if (enabled.length === 0) error('http.services', config.http.services, 'no HTTP service is enabled; set http.mode to disabled instead');
	}
	if (config.rpc.mode === 'enabled' && config.exchangeVersion === '2013+') {
		warn('rpc.mode', config.rpc.mode, 'RPC services exist only in Exchange 2010; ignored with exchangeVersion 2013+');
	}
	return { errors, warnings };
}

function checkNetwork(config: Config, error: Report, warn: Report): void {
	const { address, netmask, gateway, routes, source } = config.network;
	const own = hostAddressProblem(address, netmask);
	if (own !== null) error('network.address', address, own);
	if (gateway !== '' && source !== 'static') warn('network.gateway', gateway, `ignored with network.source ${source} (the DHCP server provides the gateway)`);
	else if (gateway !== '' && own === null) {
		const problem = gatewayProblem(gateway, address, netmask);
		if (problem !== null) error('network.gateway', gateway, problem);
	}
	routes.forEach((route, index) => {
		const net = parseIpv4(route.network)!;
		const mask = parseIpv4(route.netmask)!;
		if (((net & ~mask) >>> 0) !== 0) {
			const network = formatIpv4((net & mask) >>> 0);
			error(`network.routes[${index}].network`, route.network, `${route.network} has host bits set for ${route.netmask} (the network is ${network})`);
		}
		if (source === 'static' && own === null) {
			const problem = gatewayProblem(route.router, address, netmask);
			if (problem !== null) error(`network.routes[${index}].router`, route.router, problem);
		} else if (source !== 'static') {
			warn(`network.routes[${index}].router`, route.router, `with source ${source} the router cannot be checked against the subnet now`);
		}
	});
}

function checkHa(config: Config, error: Report, warn: Report): void {
	const { role, vip, advertIntervalMs, unicastPeer } = config.ha;
	if (advertIntervalMs % 10 !== 0) error('ha.advertIntervalMs', advertIntervalMs, `${advertIntervalMs} is not a multiple of 10 ms (VRRPv3 counts the interval in centiseconds)`);
	if (role === 'disabled') return;
	if (vip === '') {
		error('ha.vip', vip, `a virtual address is required when ha.role is ${role}`);
		return;
	}
	checkHaAddress(config, 'ha.vip', vip, 'the VIP', error, warn);
	if (unicastPeer === '') return;
	if (unicastPeer === vip) return error('ha.unicastPeer', unicastPeer, `${unicastPeer} is the VIP (ha.vip); give the other node's own address`);
	checkHaAddress(config, 'ha.unicastPeer', unicastPeer, 'the peer', error, warn);
}

/** An HA address (the VIP, the unicast peer): a host of the appliance's subnet, not the appliance's own address. */
function checkHaAddress(config: Config, path: string, value: string, what: string, error: Report, warn: Report): void {
	const { address, netmask, source } = config.network;
	const problem = hostAddressProblem(value, netmask);
	if (problem !== null) return error(path, value, problem);
	if (value === address) return error(path, value, `${value} is the appliance's own address (network.address); ${what} must be another one`);
	if (source !== 'static') {
		warn(path, value, `with network.source ${source} ${what} cannot be checked against the subnet now`);
	} else if (!sameSubnet(value, address, netmask)) {
		error(path, value, `${value} is outside the subnet of ${address}/${netmaskToPrefix(parseIpv4(netmask)!)}`);
	}
}

function serverProblem(address: string): string | null {
	// Loopback stays allowed: benchmarks and tests run servers on the same host.
	const first = parseIpv4(address)! >>> 24;
	if (first === 0 || first >= 224) return `${address} is not a usable server address`;
	return null;
}

function checkServers(config: Config, error: Report, warn: Report): void {
	for (const field of ['casServers', 'hubServers'] as const) {
		const seen = new Set<string>();
		config[field].forEach((server, index) => {
			const problem = serverProblem(server) ?? (seen.has(server) ? `${server} is listed twice` : null);
			if (problem !== null) error(`${field}[${index}]`, server, problem);
			seen.add(server);
		});
	}
	const casUsers = [
		config.http.mode !== 'disabled' ? 'http' : null,
		config.imap.mode !== 'disabled' ? 'imap' : null,
		config.pop3.mode !== 'disabled' ? 'pop3' : null,
		rpcActive(config) ? 'rpc' : null,
	].filter((name): name is string => name !== null);
	if (config.casServers.length === 0 && casUsers.length > 0) {
		warn('casServers', [], `no CAS server yet: ${casUsers.join(', ')} will refuse connections until one is added`);
	}
	if (config.hubServers.length === 0 && config.smtp.mode !== 'disabled') {
		warn('hubServers', [], 'no HUB server yet: smtp will refuse connections until one is added');
	}
}

/** serverStates names servers of the config only; a role whose every server is out of service is worth a warning. */
function checkServerStates(config: Config, error: Report, warn: Report): void {
	for (const [address, state] of Object.entries(config.serverStates)) {
		if (config.casServers.includes(address) || config.hubServers.includes(address)) continue;
		const known = [...new Set([...config.casServers, ...config.hubServers])];
		error(pathFromSegments(['serverStates', address]), state,
			`${address} is not a CAS or HUB server (${known.length === 0 ? 'none configured' : `known: ${known.join(', ')}`}); remove the entry`);
	}
	for (const field of ['casServers', 'hubServers'] as const) {
		const servers = config[field];
		if (servers.length > 0 && servers.every((address) => config.serverStates[address] !== undefined)) {
			warn('serverStates', config.serverStates, `every server of ${field} is in drain or maint: new sessions to them are refused`);
		}
	}
}

/** Every virtual port the appliance listens on, with the field that sets it. */
export function listeningPorts(config: Config): { path: string; port: number }[] {
	const ports: { path: string; port: number }[] = [];
	if (config.http.mode !== 'disabled') {
		ports.push({ path: 'http.virtualHttpsPort', port: config.http.virtualHttpsPort }, { path: 'http.redirectHttpPort', port: config.http.redirectHttpPort });
	}
	for (const name of mailServiceNames) {
		const service = config[name];
		if (service.mode === 'disabled') continue;
		const uses = mailModeUses(service.mode);
		if (uses.clear) ports.push({ path: `${name}.virtualClearPort`, port: service.virtualClearPort });
		if (uses.sslForward || uses.sslOffload) ports.push({ path: `${name}.virtualSslPort`, port: service.virtualSslPort });
	}
	if (rpcActive(config)) {
		ports.push(
			{ path: 'rpc.endpointMapperPort', port: config.rpc.endpointMapperPort },
			{ path: 'rpc.clientAccessPort', port: config.rpc.clientAccessPort },
			{ path: 'rpc.addressBookPort', port: config.rpc.addressBookPort },
		);
	}
	return ports;
}

function checkPorts(config: Config, error: Report): void {
	const owner = new Map<number, string>();
	for (const { path, port } of listeningPorts(config)) {
		const first = owner.get(port);
		if (first !== undefined) error(path, port, `${port} is already used by ${first}`);
		else owner.set(port, path);
	}
}

/** The services that terminate TLS on the appliance, with the field naming their certificate. */
export function offloadCertificateFields(config: Config): { path: string; name: string }[] {
	const fields: { path: string; name: string }[] = [];
	if (config.http.mode === 'ssl-offload') fields.push({ path: 'http.certificate', name: config.http.certificate });
	for (const name of mailServiceNames) {
		if (config[name].mode !== 'disabled' && mailModeUses(config[name].mode).sslOffload) {
			fields.push({ path: `${name}.certificate`, name: config[name].certificate });
		}
	}
	return fields;
}

function checkCertificates(config: Config, now: Date, error: Report, warn: Report): void {
	const names = new Set<string>();
	config.certificates.forEach((cert, index) => {
		if (cert.name === selfSignedCertName) error(`certificates[${index}].name`, cert.name, `${showValue(cert.name)} is reserved for the generated certificate`);
		else if (names.has(cert.name)) error(`certificates[${index}].name`, cert.name, `${showValue(cert.name)} is used twice`);
		names.add(cert.name);
		const field = `certificates[${index}]`;
		if (Date.parse(cert.notAfter) < now.getTime()) warn(`${field}.notAfter`, cert.notAfter, `certificate ${cert.name} (${cert.commonName}) expired on ${cert.notAfter}`);
		if (Date.parse(cert.notBefore) > now.getTime()) warn(`${field}.notBefore`, cert.notBefore, `certificate ${cert.name} is not valid before ${cert.notBefore}`);
	});
	for (const { path, name } of offloadCertificateFields(config)) {
		const mode = path.split('.')[0];
		if (name === '') error(path, name, `ssl-offload needs a certificate: "${selfSignedCertName}" or an imported one (set ${mode}.certificate)`);
		else if (name !== selfSignedCertName && !names.has(name)) {
			error(path, name, `${showValue(name)} is not an imported certificate (known: ${[selfSignedCertName, ...names].join(', ')})`);
		}
	}
}
