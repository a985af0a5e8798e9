// The address → backend/server map the runtime layer uses (haproxy-servers.ts) against the backends and server lines
// haproxy.cfg really has, in every combination of the schema's modes; and the map of each mode spelled out.
import test from 'ava';
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { validateConfig } from '../../../services/config/validate.js';
import { renderAll, localRenderEnv } from '../../../services/render/index.js';
import { backendServers, haproxyBackends, serversAt, serversByAddress } from '../../../services/render/haproxy-servers.js';
import { renderedServers } from '../../../services/haproxy/state-file.js';
import { allCombinations, configFor } from '../../render/helpers.js';

const env = localRenderEnv('/tmp/exlb-unit', { interface: 'eth0', bindAddress: '' });

function rendered(config: Config): { backends: string[]; servers: string[] } {
	const cfg = renderAll(config, env)['haproxy.cfg'];
	return {
		backends: [...cfg.matchAll(/^backend (\S+)$/gm)].map((match) => match[1]!),
		servers: renderedServers(cfg).map((s) => `${s.backend}/${s.server} ${s.address}`),
	};
}

function mapped(config: Config): { backends: string[]; servers: string[] } {
	return {
		backends: haproxyBackends(config).map((plan) => plan.backend),
		servers: backendServers(config).map((entry) => `${entry.backend}/${entry.server} ${entry.address}`),
	};
}

test('in every combination of modes, the map lists exactly the backends and servers haproxy.cfg renders, in order', (t) => {
	let checked = 0;
	const mismatches: string[] = [];
	for (const combination of allCombinations()) {
		const base = configFor(combination);
		// Four CAS and two HUB (the helpers' lists), and a 2010 multi-role site whose HUB addresses are CAS ones.
		for (const hubServers of [base.hubServers, [base.casServers[1]!, base.casServers[3]!]]) {
			const result = validateConfig({ ...base, hubServers });
			if (!result.ok) continue;
			checked++;
			const [actual, expected] = [rendered(result.config), mapped(result.config)];
			if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push(`${JSON.stringify(combination)}: rendered ${JSON.stringify(actual)}, mapped ${JSON.stringify(expected)}`);
		}
	}
	t.log(`${checked} valid configurations compared`);
	t.true(checked > 10_000);
	t.deepEqual(mismatches.slice(0, 3), []);
});

function site(edit: (config: Config) => void): Config {
	const config = defaultConfig();
	config.casServers = ['10.0.0.1', '10.0.0.2'];
	config.hubServers = ['10.0.0.9'];
	config.imap.mode = 'clear';
	config.smtp.mode = 'clear';
	edit(config);
	const result = validateConfig(config);
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.config;
}

const backendsOf = (config: Config, address: string) => serversAt(config, address).map((entry) => `${entry.backend}/${entry.server}:${entry.service}`);

test('2010, ssl-offload: one backend per HTTP service (no MAPI), mail, and the three RPC ports', (t) => {
	const config = site((c) => { c.http.mode = 'ssl-offload'; });
	t.deepEqual(backendsOf(config, '10.0.0.2'), [
		'be_owa/cas2:owa', 'be_ecp/cas2:ecp', 'be_oab/cas2:oab', 'be_autodiscover/cas2:autodiscover', 'be_ews/cas2:ews',
		'be_activesync/cas2:activesync', 'be_outlookanywhere/cas2:outlookAnywhere', 'be_imap/cas2:imap',
		'be_rpc_epm/cas2:rpcEndpointMapper', 'be_rpc_ca/cas2:rpcClientAccess', 'be_rpc_ab/cas2:rpcAddressBook',
	]);
	t.deepEqual(backendsOf(config, '10.0.0.9'), ['be_smtp/hub1:smtp']);
});

test('2013+, ssl-offload: MAPI, no RPC; a disabled HTTP service has no backend', (t) => {
	const config = site((c) => { c.http.mode = 'ssl-offload'; c.exchangeVersion = '2013+'; c.http.services.oab = false; });
	t.deepEqual(backendsOf(config, '10.0.0.1'), [
		'be_owa/cas1:owa', 'be_ecp/cas1:ecp', 'be_autodiscover/cas1:autodiscover', 'be_ews/cas1:ews',
		'be_activesync/cas1:activesync', 'be_outlookanywhere/cas1:outlookAnywhere', 'be_mapi/cas1:mapi', 'be_imap/cas1:imap',
	]);
});

test('ssl-forward: all of HTTPS in one backend; HTTP disabled: none', (t) => {
	t.deepEqual(backendsOf(site((c) => { c.http.mode = 'ssl-forward'; c.rpc.mode = 'disabled'; }), '10.0.0.1'), ['be_https/cas1:https', 'be_imap/cas1:imap']);
	t.deepEqual(backendsOf(site((c) => { c.http.mode = 'disabled'; c.rpc.mode = 'disabled'; c.imap.mode = 'disabled'; }), '10.0.0.1'), []);
});

test('mail modes: clear and ssl-offload share be_<name> (stunnel hands over clear text), ssl-forward has be_<name>s', (t) => {
	const of = (mode: Config['imap']['mode']) => backendsOf(site((c) => {
		c.http.mode = 'disabled'; c.rpc.mode = 'disabled'; c.imap.mode = mode; c.pop3.mode = mode; c.smtp.mode = mode;
	}), '10.0.0.1').concat(backendsOf(site((c) => { c.http.mode = 'disabled'; c.rpc.mode = 'disabled'; c.smtp.mode = mode; }), '10.0.0.9'));
	t.deepEqual(of('clear'), ['be_imap/cas1:imap', 'be_pop3/cas1:pop3', 'be_smtp/hub1:smtp']);
	t.deepEqual(of('ssl-offload'), ['be_imap/cas1:imap', 'be_pop3/cas1:pop3', 'be_smtp/hub1:smtp']);
	t.deepEqual(of('ssl-forward'), ['be_imaps/cas1:imaps', 'be_pop3s/cas1:pop3s', 'be_smtps/hub1:smtps']);
	t.deepEqual(of('clear-and-ssl-forward'), ['be_imap/cas1:imap', 'be_imaps/cas1:imaps', 'be_pop3/cas1:pop3', 'be_pop3s/cas1:pop3s', 'be_smtp/hub1:smtp', 'be_smtps/hub1:smtps']);
	t.deepEqual(of('clear-and-ssl-offload'), ['be_imap/cas1:imap', 'be_pop3/cas1:pop3', 'be_smtp/hub1:smtp']);
});

test('a multi-role address (2010 CAS + HUB) maps to its CAS and its SMTP backends, under each role\'s name', (t) => {
	const config = site((c) => { c.http.mode = 'ssl-forward'; c.rpc.mode = 'disabled'; c.hubServers = ['10.0.0.2']; });
	t.deepEqual(backendsOf(config, '10.0.0.2'), ['be_https/cas2:https', 'be_imap/cas2:imap', 'be_smtp/hub1:smtp']);
	const byAddress = serversByAddress(config);
	t.deepEqual([...byAddress.keys()], ['10.0.0.1', '10.0.0.2']);
	t.is(byAddress.get('10.0.0.2')!.length, 3);
	t.deepEqual(serversByAddress(site((c) => { c.http.mode = 'disabled'; c.rpc.mode = 'disabled'; c.imap.mode = 'disabled'; c.smtp.mode = 'disabled'; })).get('10.0.0.9'), []);
});
