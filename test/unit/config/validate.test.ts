import test from 'ava';
import type { Config } from '../../../services/config/schema.js';
import { validateConfig, formatIssue } from '../../../services/config/validate.js';
import { errorsOf, warningsOf } from './issues-of.js';

const set = (config: Config, path: string, value: unknown) => {
	const keys = path.split('.');
	let node = config as unknown as Record<string, unknown>;
	for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
	node[keys.at(-1)!] = value;
};

const fieldCases: [string, unknown, string][] = [
	['http.casHttpPort', 70000, 'http.casHttpPort: 70000 is not a port (1-65535)'],
	['http.casHttpPort', 0, 'http.casHttpPort: 0 is not a port (1-65535)'],
	['http.casHttpPort', '80', 'http.casHttpPort: "80" is not a port (1-65535)'],
	['http.casHttpPort', 80.5, 'http.casHttpPort: 80.5 is not a port (1-65535)'],
	['http.timeout', 0, 'http.timeout: 0 is not a timeout in seconds (1-86400)'],
	['http.mode', 'offload', 'http.mode: "offload" is not one of disabled, ssl-offload, ssl-forward'],
	['imap.mode', 'clear+ssl', 'imap.mode: "clear+ssl" is not one of disabled, clear, ssl-forward, ssl-offload, clear-and-ssl-forward, clear-and-ssl-offload'],
	['network.address', '192.168.0.300', 'network.address: "192.168.0.300" is not an IPv4 address'],
	['network.netmask', '255.0.255.0', 'network.netmask: 255.0.255.0 is not a contiguous netmask'],
	['network.vlan', 5000, 'network.vlan: 5000 is not a VLAN id (1-4094, or null for none)'],
	['network.hostname', 'exlb_1', 'network.hostname: "exlb_1" is not a host name (letters, digits and inner hyphens, dot-separated labels of 1-63 characters)'],
	['http.hostName', 'mail', 'http.hostName: "mail" is not a fully qualified domain name (e.g. mail.example.com)'],
	['ha.clusterId', 256, 'ha.clusterId: 256 is not a whole number from 1 to 255'],
	['ha.role', 'primary', 'ha.role: "primary" is not one of disabled, master, backup'],
	['http.services.owa', 'yes', 'http.services.owa: "yes" is not true or false'],
	['exchangeVersion', '2016', 'exchangeVersion: "2016" is not one of 2010, 2013+'],
];

for (const [path, value, expected] of fieldCases) {
	test(`${path} = ${JSON.stringify(value)} is refused with a message naming the field and value`, (t) => {
		t.deepEqual(errorsOf((config) => set(config, path, value)), [expected]);
	});
}

test('unknown keys are refused by name, listing the allowed ones', (t) => {
	t.deepEqual(errorsOf((config) => Object.assign(config.http, { sslMode: 'x' })), [
		'http.sslMode: unknown key (allowed: mode, hostName, virtualHttpsPort, redirectHttpPort, casHttpPort, casHttpsPort, timeout, services, certificate)',
	]);
});

test('missing keys are named', (t) => {
	t.deepEqual(errorsOf((config) => { delete (config.rpc as Partial<Config['rpc']>).timeout; }), ['rpc.timeout: missing (required)']);
});

test('a non-object is refused', (t) => {
	const result = validateConfig([1]);
	t.false(result.ok);
	t.deepEqual(!result.ok && result.errors.map(formatIssue), ['the configuration must be a JSON object']);
});

test('server lists: at most 4, valid and distinct addresses, paths with indices', (t) => {
	t.deepEqual(errorsOf((config) => { config.casServers = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']; }), ['casServers: at most 4 entries allowed (got 5)']);
	t.deepEqual(errorsOf((config) => { config.casServers = ['10.0.0.1', '10.0.0.1']; }), ['casServers[1]: 10.0.0.1 is listed twice']);
	t.deepEqual(errorsOf((config) => { config.hubServers = ['10.0.0.1', 'x']; }), ['hubServers[1]: "x" is not an IPv4 address']);
	t.deepEqual(errorsOf((config) => { config.casServers = ['224.0.0.1']; }), ['casServers[0]: 224.0.0.1 is not a usable server address']);
});

test('injection attempts through strings that reach config files are refused', (t) => {
	for (const evil of ['mail.example.com\n  bind :8080', 'mail.example.com bind', 'mail.example.com#', 'mail.example.com\r', '"mail.example.com"', 'mail.example.com;x', '']) {
		const errors = errorsOf((config) => { config.http.hostName = evil; });
		t.is(errors.length, 1, evil);
		t.true(errors[0]!.startsWith('http.hostName: '), errors[0]);
		t.false(errors[0]!.includes('\n'), 'the message shows the newline escaped');
	}
	t.deepEqual(errorsOf((config) => { config.network.hostname = 'exlb\nDNS=1.1.1.1'; }).length, 1);
	t.deepEqual(errorsOf((config) => { config.http.certificate = '../../etc/shadow'; }), ['http.certificate: "../../etc/shadow" is not a certificate name (a-z, 0-9, \'-\', \'_\', up to 32 characters)']);
	t.deepEqual(errorsOf((config) => { config.network.address = '192.168.0.200\n'; }), ['network.address: "192.168.0.200\\n" is not an IPv4 address']);
});

test('cross-field: two services on one virtual port', (t) => {
	t.deepEqual(errorsOf((config) => { config.imap.mode = 'clear'; config.imap.virtualClearPort = 443; }), ['imap.virtualClearPort: 443 is already used by http.virtualHttpsPort']);
	t.deepEqual(errorsOf((config) => { config.pop3.mode = 'clear-and-ssl-forward'; config.pop3.virtualSslPort = 110; }), ['pop3.virtualSslPort: 110 is already used by pop3.virtualClearPort']);
	t.deepEqual(errorsOf((config) => { config.smtp.mode = 'clear'; config.smtp.virtualClearPort = 135; }), ['rpc.endpointMapperPort: 135 is already used by smtp.virtualClearPort']);
	// Disabled services hold no port; RPC holds none with 2013+.
	t.deepEqual(errorsOf((config) => { config.imap.virtualClearPort = 443; config.exchangeVersion = '2013+'; config.rpc.mode = 'disabled'; config.smtp.mode = 'clear'; config.smtp.virtualClearPort = 135; }), []);
});

test('cross-field: the VIP must be a host of the appliance\'s subnet, not its own address', (t) => {
	const ha = (vip: string) => (config: Config) => { config.network.source = 'static'; config.ha.role = 'master'; config.ha.vip = vip; };
	t.deepEqual(errorsOf(ha('10.1.1.1')), ['ha.vip: 10.1.1.1 is outside the subnet of 192.168.0.200/24']);
	t.deepEqual(errorsOf(ha('')), ['ha.vip: a virtual address is required when ha.role is master']);
	t.deepEqual(errorsOf(ha('192.168.0.200')), ['ha.vip: 192.168.0.200 is the appliance\'s own address (network.address); the VIP must be another one']);
	t.deepEqual(errorsOf(ha('192.168.0.255')), ['ha.vip: 192.168.0.255 is the broadcast address of its subnet']);
	t.deepEqual(errorsOf(ha('192.168.0.201')), []);
	t.deepEqual(errorsOf((config) => { config.ha.vip = '10.1.1.1'; }), [], 'not checked while HA is disabled');
});

test('cross-field: the unicast peer is another host of the subnet, neither this node nor the VIP', (t) => {
	const peer = (address: string) => (config: Config) => {
		config.network.source = 'static';
		Object.assign(config.ha, { role: 'backup', vip: '192.168.0.201', unicastPeer: address });
	};
	t.deepEqual(errorsOf(peer('192.168.0.9')), []);
	t.deepEqual(errorsOf(peer('10.9.0.9')), ['ha.unicastPeer: 10.9.0.9 is outside the subnet of 192.168.0.200/24']);
	t.deepEqual(errorsOf(peer('192.168.0.200')), ['ha.unicastPeer: 192.168.0.200 is the appliance\'s own address (network.address); the peer must be another one']);
	t.deepEqual(errorsOf(peer('192.168.0.201')), ['ha.unicastPeer: 192.168.0.201 is the VIP (ha.vip); give the other node\'s own address']);
	t.deepEqual(errorsOf(peer('192.168.0.300')), ['ha.unicastPeer: "192.168.0.300" is not an IPv4 address']);
});

test('fields: the VRRP advert interval (50 ms to 10 s, centiseconds) and the preempt delay', (t) => {
	t.deepEqual(errorsOf((config) => { config.ha.advertIntervalMs = 255; }), ['ha.advertIntervalMs: 255 is not a multiple of 10 ms (VRRPv3 counts the interval in centiseconds)']);
	t.deepEqual(errorsOf((config) => { config.ha.advertIntervalMs = 20; }), ['ha.advertIntervalMs: 20 is not a whole number from 50 to 10000']);
	t.deepEqual(errorsOf((config) => { config.ha.preemptDelay = 1001; }), ['ha.preemptDelay: 1001 is not a whole number from 0 to 1000']);
	t.deepEqual(errorsOf((config) => { (config.ha as { preempt: string }).preempt = 'always'; }), ['ha.preempt: "always" is not one of after-delay, never']);
	t.deepEqual(errorsOf((config) => { config.ha.advertIntervalMs = 100; config.ha.preemptDelay = 0; config.ha.preempt = 'never'; }), []);
});

test('cross-field: static network gateway and routes', (t) => {
	t.deepEqual(errorsOf((config) => { config.network.source = 'static'; config.network.gateway = '10.0.0.1'; }), ['network.gateway: 10.0.0.1 is outside the subnet of 192.168.0.200/24']);
	t.deepEqual(errorsOf((config) => { config.network.source = 'static'; config.network.routes = [{ network: '10.1.0.0', netmask: '255.255.0.0', router: '192.168.0.9' }]; }), []);
	t.deepEqual(errorsOf((config) => {
		config.network.source = 'static';
		config.network.routes = [{ network: '10.1.0.1', netmask: '255.255.0.0', router: '192.168.1.9' }];
	}), ['network.routes[0].network: 10.1.0.1 has host bits set for 255.255.0.0 (the network is 10.1.0.0)', 'network.routes[0].router: 192.168.1.9 is outside the subnet of 192.168.0.200/24']);
	t.deepEqual(errorsOf((config) => { config.network.routes = [1, 2, 3, 4, 5].map(() => ({ network: '10.1.0.0', netmask: '255.255.0.0', router: '192.168.0.9' })); }), ['network.routes: at most 4 entries allowed (got 5)']);
});

test('cross-field: offload without a certificate, or with an unknown one', (t) => {
	t.deepEqual(errorsOf((config) => { config.http.mode = 'ssl-offload'; config.http.certificate = ''; }), ['http.certificate: ssl-offload needs a certificate: "self-signed" or an imported one (set http.certificate)']);
	t.deepEqual(errorsOf((config) => { config.imap.mode = 'clear-and-ssl-offload'; config.imap.certificate = 'corp'; }), ['imap.certificate: "corp" is not an imported certificate (known: self-signed)']);
	t.deepEqual(errorsOf((config) => { config.http.mode = 'ssl-offload'; }), [], 'the generated self-signed certificate is the default');
	t.deepEqual(errorsOf((config) => { config.http.certificate = ''; }), [], 'ssl-forward needs no certificate');
});

const cert = { name: 'corp', commonName: 'mail.example.com', notBefore: '2024-01-01T00:00:00Z', notAfter: '2025-01-01T00:00:00Z', selfSigned: false, fingerprint: Array(32).fill('AB').join(':') };

test('an expired certificate is accepted with a warning', (t) => {
	const warnings = warningsOf((config) => { config.certificates = [cert]; config.http.mode = 'ssl-offload'; config.http.certificate = 'corp'; config.casServers = ['10.0.0.1']; });
	t.deepEqual(warnings, ['certificates[0].notAfter: certificate corp (mail.example.com) expired on 2025-01-01T00:00:00Z']);
});

test('certificate names are unique and "self-signed" is reserved', (t) => {
	t.deepEqual(errorsOf((config) => { config.certificates = [cert, cert]; }), ['certificates[1].name: "corp" is used twice']);
	t.deepEqual(errorsOf((config) => { config.certificates = [{ ...cert, name: 'self-signed' }]; }), ['certificates[0].name: "self-signed" is reserved for the generated certificate']);
});

test('warnings: no servers yet, RPC with 2013+', (t) => {
	t.deepEqual(warningsOf(() => {}), ['casServers: no CAS server yet: http, rpc will refuse connections until one is added']);
	t.deepEqual(warningsOf((config) => { config.casServers = ['10.0.0.1']; config.exchangeVersion = '2013+'; }), ['rpc.mode: RPC services exist only in Exchange 2010; ignored with exchangeVersion 2013+']);
	t.deepEqual(warningsOf((config) => { config.casServers = ['10.0.0.1']; config.smtp.mode = 'clear'; }), ['hubServers: no HUB server yet: smtp will refuse connections until one is added']);
});

test('HTTP enabled with every service off is an error', (t) => {
	t.deepEqual(errorsOf((config) => {
		for (const key of Object.keys(config.http.services) as (keyof Config['http']['services'])[]) config.http.services[key] = key === 'mapi';
	}), ['http.services: no HTTP service is enabled; set http.mode to disabled instead']);
});
