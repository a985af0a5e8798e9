// haproxyStatus() over a socket answering with the captured answers: every backend and server named back to the model
// (service, role, number, address), states, checks and sessions, per Exchange server; haproxy down is its own state.
import test from 'ava';
import { haproxyStatus, type HaproxyStatus } from '../../../services/haproxy/status.js';
import { fakeHaproxy, fixture } from './fake-haproxy.js';
import { captureConfig, cas, hubs } from './capture-config.js';

async function capturedStatus(config = captureConfig()): Promise<Extract<HaproxyStatus, { running: true }>> {
	const answers: Record<string, string> = {
		'show info': await fixture('show-info.txt'),
		'show stat typed': await fixture('show-stat-typed.txt'),
		'show servers state': await fixture('show-servers-state.txt'),
	};
	const haproxy = await fakeHaproxy((command) => answers[command] ?? 'Unknown command.\n');
	try {
		const status = await haproxyStatus(haproxy.path, config);
		if (!status.running) throw new Error(status.reason);
		return status;
	} finally {
		await haproxy.close();
	}
}

test('every backend and server of the model, named back to it, with state, check and sessions', async (t) => {
	const status = await capturedStatus();
	t.regex(status.version, /^3\.0\./);
	t.true(status.inSync);
	t.deepEqual(status.backends.map((b) => `${b.backend}:${b.service}:${b.role}`), [
		'be_owa:owa:cas', 'be_ecp:ecp:cas', 'be_oab:oab:cas', 'be_autodiscover:autodiscover:cas', 'be_ews:ews:cas',
		'be_activesync:activesync:cas', 'be_outlookanywhere:outlookAnywhere:cas', 'be_imap:imap:cas', 'be_imaps:imaps:cas',
		'be_smtp:smtp:hub', 'be_rpc_epm:rpcEndpointMapper:cas', 'be_rpc_ca:rpcClientAccess:cas', 'be_rpc_ab:rpcAddressBook:cas',
	]);
	const server = (backend: string, name: string) => status.backends.find((b) => b.backend === backend)!.servers.find((s) => s.server === name)!;
	t.like(server('be_imap', 'cas1'), { role: 'cas', index: 1, address: cas[0], state: 'UP', admin: 'ready', detail: 'UP', sessions: { current: 1, max: 1, total: 1, perSecond: 1 } });
	t.like(server('be_imap', 'cas1').check, { status: 'L7OK', description: 'Layer7 check passed', lastCheck: '(tcp-check)' });
	t.like(server('be_owa', 'cas2'), { index: 2, address: cas[1], state: 'DRAIN', admin: 'drain', detail: 'DRAIN' });
	t.like(server('be_rpc_ca', 'cas2'), { state: 'DRAIN', admin: 'drain' });
	t.like(server('be_owa', 'cas3'), { state: 'MAINT', admin: 'maint' });
	t.like(server('be_rpc_ca', 'cas3'), { state: 'MAINT', admin: 'maint', detail: 'MAINT (via be_rpc_epm/cas3)' });
	t.like(server('be_smtp', 'hub1'), { role: 'hub', index: 1, address: hubs[0], state: 'MAINT', admin: 'maint' });
	t.like(server('be_smtp', 'hub2'), { role: 'hub', index: 2, address: hubs[1], state: 'DOWN', admin: 'ready', detail: 'DOWN' });
	t.like(server('be_smtp', 'hub2').check, { status: 'L4CON', description: 'Layer4 connection problem', lastCheck: 'Connection refused' });
	t.like(status.backends.find((b) => b.backend === 'be_smtp'), { status: 'DOWN', sessions: 0 });
	t.like(status.frontends.find((f) => f.frontend === 'fe_imap'), { status: 'OPEN', sessions: 1 });
	t.true(status.frontends.find((f) => f.frontend === 'fe_https')!.requestsPerSecond >= 0);
});

test('per Exchange server: roles, the configured and the running state, sessions and backends up', async (t) => {
	const status = await capturedStatus();
	t.deepEqual(status.exchangeServers.map((s) => [s.address, s.configured, s.running.join('/'), s.sessions, s.backends, s.backendsUp]), [
		[cas[0], 'ready', 'ready', 1, 12, 12],
		[cas[1], 'drain', 'drain', 0, 12, 0],
		[cas[2], 'maint', 'maint', 0, 12, 0],
		[hubs[0], 'maint', 'maint', 0, 1, 0],
		[hubs[1], 'ready', 'ready', 0, 1, 0],
	]);
	t.deepEqual(status.exchangeServers[0]!.roles, [{ role: 'cas', index: 1 }]);
});

test('a 2010 multi-role server (one address as CAS and HUB) is one Exchange server with both roles', async (t) => {
	const status = await capturedStatus(captureConfig((c) => { c.hubServers = [cas[0], hubs[1]]; delete c.serverStates[hubs[0]]; }));
	const multi = status.exchangeServers.find((s) => s.address === cas[0])!;
	t.deepEqual(multi.roles, [{ role: 'cas', index: 1 }, { role: 'hub', index: 1 }]);
	t.is(multi.backends, 13, 'its 12 CAS backends and be_smtp');
	t.false(status.inSync, 'haproxy (captured) has hub1 = 10.77.0.21 in be_smtp: not this configuration\'s server list');
});

test('a configuration haproxy does not run yet: not in sync, the missing servers reported as not loaded', async (t) => {
	const status = await capturedStatus(captureConfig((c) => { c.casServers.push('10.77.0.14'); c.exchangeVersion = '2013+'; }));
	t.false(status.inSync);
	const mapi = status.backends.find((b) => b.backend === 'be_mapi')!;
	t.is(mapi.status, 'not loaded');
	t.like(mapi.servers.find((s) => s.server === 'cas4'), { state: 'DOWN', detail: 'not loaded' });
});

test('haproxy not running is its own state, not "every server down"', async (t) => {
	const status = await haproxyStatus('/nonexistent/exlb/haproxy-user.sock', captureConfig());
	t.false(status.running);
	t.regex((status as { reason: string }).reason, /haproxy is not running/);
});
