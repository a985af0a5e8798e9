// syslog.server host names are resolved before rendering; one that does not resolve turns forwarding off with a warning.
import test from 'ava';
import { defaultConfig } from '../../../services/config/schema.js';
import { resolveSyslogServer } from '../../../services/apply/syslog-address.js';

const withServer = (server: string) => { const config = defaultConfig(); config.syslog.server = server; return config; };
const never = () => new Promise<string>(() => {});

test('no server, or an address: nothing to resolve', async (t) => {
	const lookup = () => Promise.reject(new Error('must not be called'));
	t.deepEqual(await resolveSyslogServer(withServer(''), { lookup }), { address: null, warning: null });
	t.deepEqual(await resolveSyslogServer(withServer('10.0.0.50'), { lookup }), { address: '10.0.0.50', warning: null });
});

test('a host name is resolved to its IPv4 address', async (t) => {
	t.deepEqual(await resolveSyslogServer(withServer('logs.corp'), { lookup: async (name) => (name === 'logs.corp' ? '10.1.2.3' : '') }), { address: '10.1.2.3', warning: null });
});

test('a name that does not resolve, or not in time, is a warning on syslog.server and no address', async (t) => {
	const failed = await resolveSyslogServer(withServer('logs.corp'), { lookup: () => Promise.reject(new Error('getaddrinfo ENOTFOUND logs.corp')) });
	t.is(failed.address, null);
	t.like(failed.warning, { path: 'syslog.server', value: 'logs.corp' });
	t.regex(failed.warning!.message, /^logs\.corp does not resolve now \(getaddrinfo ENOTFOUND logs\.corp\): haproxy's logs are not forwarded/);
	const slow = await resolveSyslogServer(withServer('logs.corp'), { lookup: never, timeoutMs: 50 });
	t.regex(slow.warning!.message, /no answer within 0\.05 s/);
});
