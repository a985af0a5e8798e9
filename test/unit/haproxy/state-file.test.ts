// The server-state file written before haproxy loads a configuration: operational state carried over from the
// running haproxy, administrative state from the model (a stale drain/maint never wins over a config saying ready),
// and nothing carried to a server whose address or port changed.
import test from 'ava';
import { serverStateFileText, renderedServers, desiredState, type RenderedServer } from '../../../services/haproxy/state-file.js';
import { parseServersState, adminBits } from '../../../services/haproxy/servers-state.js';
import { renderAll, localRenderEnv } from '../../../services/render/index.js';
import { fixture } from './fake-haproxy.js';
import { captureConfig, cas, hubs } from './capture-config.js';

const env = localRenderEnv('/tmp/exlb-unit', { interface: 'eth0', bindAddress: '' });

async function captured() {
	return parseServersState(await fixture('show-servers-state.txt'));
}

/** The file's lines for one backend/server, parsed back with the runtime parser. */
function lineOf(text: string, backend: string, server: string) {
	return parseServersState(text).rows.find((row) => row.backend === backend && row.server === server);
}

test('the server lines of a rendered haproxy.cfg: backend, name, address and port', (t) => {
	const servers = renderedServers(renderAll(captureConfig(), env)['haproxy.cfg']);
	t.deepEqual(servers.find((s) => s.backend === 'be_imaps' && s.server === 'cas2'), { backend: 'be_imaps', server: 'cas2', address: cas[1], port: 993 });
	t.deepEqual(servers.find((s) => s.backend === 'be_rpc_ab' && s.server === 'cas3'), { backend: 'be_rpc_ab', server: 'cas3', address: cas[2], port: 60001 });
	t.is(servers.length, 38);
});

test('a configuration setting servers back to ready is not overridden by the running haproxy\'s drain and maint', async (t) => {
	const config = captureConfig((c) => { c.serverStates = {}; });
	const text = serverStateFileText(renderedServers(renderAll(config, env)['haproxy.cfg']), (a) => desiredState(config, a), await captured());
	for (const [backend, server] of [['be_owa', 'cas2'], ['be_rpc_ca', 'cas2'], ['be_owa', 'cas3'], ['be_rpc_ca', 'cas3'], ['be_smtp', 'hub1']]) {
		t.is(lineOf(text, backend!, server!)?.adminState, 0, `${backend}/${server} ready`);
	}
	t.is(lineOf(text, 'be_smtp', 'hub2')?.opState, 0, 'the health haproxy found (hub2 down) is carried over');
	t.is(lineOf(text, 'be_imap', 'cas1')?.opState, 2);
});

test('the model\'s drain and maint replace whatever haproxy had, and only the forced bits are written', async (t) => {
	const previous = await captured();
	const config = captureConfig((c) => { c.serverStates = { [cas[0]]: 'maint', [cas[1]]: 'drain', [hubs[1]]: 'drain' }; });
	const text = serverStateFileText(renderedServers(renderAll(config, env)['haproxy.cfg']), (a) => desiredState(config, a), previous);
	t.is(lineOf(text, 'be_owa', 'cas1')?.adminState, adminBits.FMAINT);
	t.is(lineOf(text, 'be_rpc_ab', 'cas1')?.adminState, adminBits.FMAINT);
	t.is(lineOf(text, 'be_rpc_ca', 'cas2')?.adminState, adminBits.FDRAIN, 'the inherited drain bit is haproxy\'s to recompute');
	t.is(lineOf(text, 'be_owa', 'cas3')?.adminState, 0);
	t.is(lineOf(text, 'be_smtp', 'hub2')?.adminState, adminBits.FDRAIN);
	// Everything else of a carried line is haproxy's own dump, column for column.
	const before = previous.rows.find((row) => row.backend === 'be_imaps' && row.server === 'cas2')!;
	t.deepEqual(lineOf(text, 'be_imaps', 'cas2')?.fields, before.fields);
	t.is(text.split('\n')[0], '1');
	t.is(text.split('\n')[1], `# ${previous.columns.join(' ')}`);
});

test('a server whose port or address changed starts afresh: haproxy would apply the old port to it', async (t) => {
	const previous = await captured();
	const config = captureConfig((c) => { c.imap.serverClearPort = 1143; c.casServers[0] = '10.77.0.31'; c.serverStates = { [cas[1]]: 'drain' }; });
	const text = serverStateFileText(renderedServers(renderAll(config, env)['haproxy.cfg']), (a) => desiredState(config, a), previous);
	t.is(lineOf(text, 'be_imap', 'cas3'), undefined, 'port 143 → 1143: no line, haproxy starts it from the config');
	t.is(lineOf(text, 'be_owa', 'cas1'), undefined, 'another machine at cas1: no line');
	t.like(lineOf(text, 'be_imap', 'cas2'), { port: 1143, adminState: adminBits.FDRAIN, opState: 2 }, 'drained with no history: a line with the new port');
	t.is(lineOf(text, 'be_imaps', 'cas1'), undefined);
	t.like(lineOf(text, 'be_imaps', 'cas3'), { port: 993 }, 'unchanged server: carried');
});

test('no running haproxy and no file (boot): lines for the servers out of service only, in every backend', (t) => {
	const config = captureConfig((c) => { c.serverStates = { [cas[1]]: 'maint' }; });
	const servers: RenderedServer[] = renderedServers(renderAll(config, env)['haproxy.cfg']);
	const text = serverStateFileText(servers, (a) => desiredState(config, a), null);
	const rows = parseServersState(text).rows;
	t.deepEqual(rows.map((row) => row.backend), servers.filter((s) => s.address === cas[1]).map((s) => s.backend));
	t.true(rows.every((row) => row.server === 'cas2' && row.adminState === adminBits.FMAINT && row.opState === 2 && row.fields.length === 20));
	t.is(lineOf(text, 'be_rpc_ca', 'cas2')?.port, 60000);
	t.is(serverStateFileText(servers, () => 'ready', null), '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord\n');
});

test('a rollback (no model at hand) keeps the states haproxy had', async (t) => {
	const config = captureConfig();
	const text = serverStateFileText(renderedServers(renderAll(config, env)['haproxy.cfg']), null, await captured());
	t.is(lineOf(text, 'be_owa', 'cas2')?.adminState, adminBits.FDRAIN);
	t.is(lineOf(text, 'be_rpc_ca', 'cas3')?.adminState, adminBits.FMAINT);
	t.is(lineOf(text, 'be_owa', 'cas1')?.adminState, 0);
});
