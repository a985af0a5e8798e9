// The runtime API parsers on answers captured from the image's haproxy 3.0 (test/fixtures/haproxy/capture.ts):
// cas1 up with an IMAP session, cas2 drained, cas3 in maintenance (RPC backends tracking it), hub1 in maintenance,
// hub2 down, and an old worker after a reload.
import test from 'ava';
import { parseStatTyped, statNumber, statText } from '../../../services/haproxy/stat-typed.js';
import { parseServersState, forcedState, effectiveAdmin, adminBits } from '../../../services/haproxy/servers-state.js';
import { parseInfo } from '../../../services/haproxy/info.js';
import { serverCondition } from '../../../services/haproxy/status.js';
import { UnexpectedAnswerError } from '../../../services/haproxy/answer-error.js';
import { parseShowProc } from '../../../services/apply/haproxy-master.js';
import { fixture } from './fake-haproxy.js';

test('show stat typed: frontends, backends and servers with typed counters and free-text check results', async (t) => {
	const objects = parseStatTyped(await fixture('show-stat-typed.txt'));
	const find = (type: string, proxy: string, name: string) => objects.find((o) => o.type === type && o.proxy === proxy && o.name === name)!;
	t.deepEqual([...new Set(objects.map((o) => o.type))].sort(), ['backend', 'frontend', 'server']);
	const imap = find('frontend', 'fe_imap', 'FRONTEND');
	t.is(statNumber(imap, 'scur'), 1, 'the held IMAP session');
	t.is(statText(imap, 'status'), 'OPEN');
	const https = find('frontend', 'fe_https', 'FRONTEND');
	t.true(statNumber(https, 'req_tot') >= 5, 'the HTTPS requests made before the capture');
	t.is(typeof https.fields.get('conn_rate'), 'number');
	const cas1 = find('server', 'be_imap', 'cas1');
	t.is(statNumber(cas1, 'scur'), 1);
	t.is(statText(cas1, 'status'), 'UP');
	t.false(cas1.fields.has('addr'), 'a `level user` socket does not show server addresses (the status takes them from the model)');
	const hub2 = find('server', 'be_smtp', 'hub2');
	t.is(statText(hub2, 'status'), 'DOWN');
	t.is(statText(hub2, 'check_status'), 'L4CON');
	t.is(statText(hub2, 'check_desc'), 'Layer4 connection problem', 'a text value keeps its blanks');
	t.is(statText(hub2, 'last_chk'), 'Connection refused');
	t.is(statText(find('server', 'be_owa', 'cas2'), 'status'), 'DRAIN');
	t.is(statText(find('server', 'be_owa', 'cas3'), 'status'), 'MAINT');
	t.is(statText(find('server', 'be_rpc_ca', 'cas3'), 'status'), 'MAINT (via be_rpc_epm/cas3)');
	t.is(statText(find('backend', 'be_smtp', 'BACKEND'), 'status'), 'DOWN', 'hub1 in maint, hub2 down: no SMTP server');
	t.is(statNumber(find('server', 'be_owa', 'cas1'), 'no_such_field'), 0);
});

test('show servers state: addresses, ports, operational state and administrative bits', async (t) => {
	const dump = parseServersState(await fixture('show-servers-state.txt'));
	t.is(dump.columns.length, 25);
	t.is(dump.rows.length, 3 * 12 + 2, '12 CAS backends (7 HTTP, IMAP clear and TLS, 3 RPC) × 3 servers, 2 HUB servers');
	const row = (backend: string, server: string) => dump.rows.find((r) => r.backend === backend && r.server === server)!;
	t.like(row('be_imaps', 'cas1'), { address: '10.77.0.11', port: 993, opState: 2, adminState: 0 });
	t.like(row('be_owa', 'cas2'), { opState: 2, adminState: adminBits.FDRAIN });
	t.like(row('be_rpc_ca', 'cas2'), { adminState: adminBits.FDRAIN | adminBits.IDRAIN }, 'set on the tracking server and inherited');
	t.like(row('be_rpc_ca', 'cas3'), { opState: 0, adminState: adminBits.FMAINT | adminBits.IMAINT });
	t.like(row('be_smtp', 'hub1'), { port: 25, opState: 0, adminState: adminBits.FMAINT });
	t.like(row('be_smtp', 'hub2'), { opState: 0, adminState: 0 });
	t.is(row('be_owa', 'cas1').fields.length, 25);
});

test('administrative state: the forced one, the effective one, and the state shown', (t) => {
	t.is(forcedState(adminBits.FDRAIN | adminBits.IDRAIN), 'drain');
	t.is(forcedState(adminBits.IMAINT), 'ready', 'inherited through track: not its own');
	t.is(forcedState(adminBits.FMAINT | adminBits.FDRAIN), 'maint');
	t.is(effectiveAdmin(adminBits.IMAINT), 'maint');
	t.is(effectiveAdmin(adminBits.IDRAIN), 'drain');
	t.is(effectiveAdmin(adminBits.CMAINT), 'ready', 'the config\'s `disabled` marker alone, after `set server ... ready`');
	t.is(serverCondition(2, 0), 'UP');
	t.is(serverCondition(1, 0), 'UP', 'starting');
	t.is(serverCondition(0, 0), 'DOWN');
	t.is(serverCondition(3, 0), 'DRAIN', 'NOLB: up but taking no new sessions');
	t.is(serverCondition(2, adminBits.FDRAIN), 'DRAIN');
	t.is(serverCondition(0, adminBits.FDRAIN), 'DRAIN', 'the administrative state first');
	t.is(serverCondition(0, adminBits.IMAINT), 'MAINT');
	t.is(serverCondition(2, adminBits.RMAINT), 'MAINT');
});

test('show info and show proc (with an old worker still finishing its sessions)', async (t) => {
	const info = parseInfo(await fixture('show-info.txt'));
	t.regex(info.get('Version')!, /^3\.0\./);
	t.regex(info.get('Pid')!, /^\d+$/);
	t.regex(info.get('Uptime_sec')!, /^\d+$/);
	const proc = parseShowProc(await fixture('show-proc-old-worker.txt'));
	t.is(proc.reloads, 1);
	t.is(proc.workers.length, 1);
	t.is(proc.oldWorkers.length, 1);
	t.notDeepEqual(proc.workers, proc.oldWorkers);
});

test('an answer that is not the command\'s format (an error text) is refused, never half-parsed', async (t) => {
	const denied = await fixture('user-level-set-refused.txt');
	for (const parse of [parseStatTyped, parseServersState, parseInfo]) {
		t.throws(() => parse(denied), { instanceOf: UnexpectedAnswerError, message: /Permission denied/ });
	}
	t.throws(() => parseServersState('1\n# be_id be_name\n'), { instanceOf: UnexpectedAnswerError }, 'a header without the columns read');
	t.throws(() => parseServersState('1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_port\n4 be_owa 1 cas1 10.0.0.1 2 0 80\n'), { instanceOf: UnexpectedAnswerError }, 'a line too short for version 1');
	t.deepEqual(parseStatTyped(''), []);
});
