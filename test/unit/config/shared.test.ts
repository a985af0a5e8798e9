import test from 'ava';
import { ConfigSchema, HaSchema, defaultConfig, type Config } from '../../../services/config/schema.js';
import { canonicalJson, sharedHash, sharedKeys, sharedHaKeys, sharedPart, sharedPaths, withShared } from '../../../services/config/shared.js';

/** A node with its own network and role, and some shared settings. */
function node(hostname: string, address: string, role: 'master' | 'backup'): Config {
	const config = defaultConfig();
	config.network = { ...config.network, source: 'static', hostname, address };
	config.ha = { ...config.ha, role, vip: '192.168.0.50', unicastPeer: address === '192.168.0.10' ? '192.168.0.9' : '192.168.0.10' };
	config.system.timezone = hostname === 'a' ? 'Europe/Paris' : 'UTC';
	return config;
}

test('every field of the model is either shared or node-local, never both', (t) => {
	const top = Object.keys(ConfigSchema.properties);
	const local = top.filter((key) => !(sharedKeys as readonly string[]).includes(key));
	t.deepEqual(local, ['version', 'network', 'ha', 'system', 'startup'], 'node-local: the format, the network, the HA role, clock and language, startup');
	const haLocal = Object.keys(HaSchema.properties).filter((key) => !(sharedHaKeys as readonly string[]).includes(key));
	t.deepEqual(haLocal, ['role', 'unicastPeer'], 'each node\'s role (its VRRP priority) and its peer\'s address are its own');
	t.true(sharedPaths.includes('serverStates'), 'drain states are shared');
	t.true(sharedPaths.includes('certificates'));
	t.true(sharedPaths.includes('ha.vip'));
});

test('the shared part replaces the other node\'s wholesale: lists and maps are never merged', (t) => {
	const primary = node('a', '192.168.0.10', 'master');
	primary.casServers = ['10.0.0.3'];
	primary.serverStates = {};
	primary.http.services.owa = false;
	const secondary = node('b', '192.168.0.9', 'backup');
	secondary.casServers = ['10.0.0.1', '10.0.0.2'];
	secondary.serverStates = { '10.0.0.1': 'drain' };
	secondary.certificates = [{ name: 'old', commonName: 'old', notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z', selfSigned: true, fingerprint: Array(32).fill('AA').join(':') }];
	const result = withShared(secondary, sharedPart(primary));
	t.deepEqual(result.casServers, ['10.0.0.3']);
	t.deepEqual(result.serverStates, {});
	t.deepEqual(result.certificates, []);
	t.false(result.http.services.owa);
	t.deepEqual(sharedPart(result), sharedPart(primary));
	t.deepEqual(result.network, secondary.network, 'the secondary keeps its network');
	t.is(result.ha.role, 'backup', 'its role');
	t.is(result.ha.unicastPeer, '192.168.0.10', 'its unicast peer');
	t.is(result.system.timezone, 'UTC', 'its clock');
	t.is(result.ha.vip, primary.ha.vip);
	t.is(secondary.casServers.length, 2, 'the input is not changed');
});

test('the shared hash: equal exactly when the shared parts are, whatever the key order or the node-local part', (t) => {
	const a = node('a', '192.168.0.10', 'master');
	const b = node('b', '192.168.0.9', 'backup');
	t.is(sharedHash(a), sharedHash(b), 'different networks and roles, same shared part');
	const reverse = (value: unknown): unknown => (Array.isArray(value) ? value.map(reverse) : typeof value === 'object' && value !== null
		? Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reverse(item)])) : value);
	const reordered = reverse(a) as Config;
	t.not(JSON.stringify(reordered), JSON.stringify(a));
	t.is(sharedHash(reordered), sharedHash(a));
	b.serverStates = { '10.0.0.1': 'maint' };
	t.not(sharedHash(b), sharedHash(a), 'a drain changes it');
	t.regex(sharedHash(a), /^[0-9a-f]{64}$/);
	t.is(canonicalJson({ b: [1, { d: 2, c: 3 }], a: null }), '{"a":null,"b":[1,{"c":3,"d":2}]}');
});
