// The remote syslog target: an IPv4 address or a host name, UDP or TCP, a port; each refusal names its field.
import test from 'ava';
import { errorsOf, warningsOf } from './issues-of.js';
import type { Config } from '../../../services/config/schema.js';

const syslog = (value: Partial<Config['syslog']>) => (config: Config) => { config.casServers = ['10.0.0.1']; Object.assign(config.syslog, value); };

test('an address or a host name is accepted; empty means no forwarding', (t) => {
	for (const server of ['', '10.0.0.50', '127.0.0.1', 'logs', 'syslog-1.corp.example.com']) t.deepEqual(warningsOf(syslog({ server })), [], server);
	t.deepEqual(warningsOf(syslog({ server: '10.0.0.50', protocol: 'tcp', port: 6514 })), []);
});

test('a target that is neither an address nor a host name is refused', (t) => {
	t.deepEqual(errorsOf(syslog({ server: '10.0.0.300' })), ['syslog.server: "10.0.0.300" is not an IPv4 address']);
	t.deepEqual(errorsOf(syslog({ server: 'logs.example.com:514' })), ['syslog.server: "logs.example.com:514" is neither an IPv4 address nor a host name (letters, digits and inner hyphens, dot-separated labels)']);
	t.deepEqual(errorsOf(syslog({ server: 'logs\nlog 1.2.3.4' })).length, 1);
	t.deepEqual(errorsOf(syslog({ server: '-logs' })).length, 1);
	t.deepEqual(errorsOf(syslog({ server: '224.0.0.1' })), ['syslog.server: 224.0.0.1 cannot receive syslog messages (not a unicast address)']);
	t.deepEqual(errorsOf(syslog({ server: '0.0.0.0' })), ['syslog.server: 0.0.0.0 cannot receive syslog messages (not a unicast address)']);
});

test('a port out of range or a protocol other than udp/tcp is refused naming the field', (t) => {
	t.deepEqual(errorsOf(syslog({ server: '10.0.0.50', port: 0 })), ['syslog.port: 0 is not a port (1-65535)']);
	t.deepEqual(errorsOf(syslog({ server: '10.0.0.50', port: 65536 })), ['syslog.port: 65536 is not a port (1-65535)']);
	t.deepEqual(errorsOf(syslog({ server: '10.0.0.50', protocol: 'tls' as never })), ['syslog.protocol: "tls" is not one of udp, tcp']);
});
