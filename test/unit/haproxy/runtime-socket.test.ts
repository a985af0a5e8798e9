// The runtime socket client: names and words refused before anything is written (the CLI runs `;` chains), typed
// errors (not running, timeout, refused command), one command in flight.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
	checkName, runtimeCommand, toWorker, RuntimeSocket, masterCli, RuntimeNameError, HaproxyNotRunningError, HaproxyTimeoutError, HaproxyCommandError,
} from '../../../services/haproxy/runtime-socket.js';
import { checkTargets, setAdminState, shutdownSessions, UnknownServerError } from '../../../services/haproxy/server-actions.js';
import { parseServersState } from '../../../services/haproxy/servers-state.js';
import { fakeHaproxy, fixture } from './fake-haproxy.js';
import { captureConfig } from './capture-config.js';

const hostile = [
	'be_owa;shutdown sessions server be_owa/cas1', 'be_owa cas1', 'be_owa\nshutdown', 'be_owa\r', 'BE_OWA', 'be-owa', '',
	'a'.repeat(33), 'be_owa/cas1', '"be_owa"', 'be_owa\\', 'be_owa\t', 'be_ówa',
];

test('a backend or server name must be one the renderer writes: ; blanks, line breaks, quotes and others are refused', (t) => {
	t.is(checkName('backend', 'be_rpc_epm'), 'be_rpc_epm');
	t.is(checkName('server', 'hub4'), 'hub4');
	for (const name of hostile) {
		const error = t.throws(() => checkName('server', name), { instanceOf: RuntimeNameError });
		t.true(error!.message.includes(JSON.stringify(name)), `the message names ${JSON.stringify(name)}: ${error!.message}`);
	}
});

test('a command is only built from checked words', (t) => {
	t.is<string, string>(runtimeCommand('set', 'server', 'be_owa/cas1', 'state', 'drain'), 'set server be_owa/cas1 state drain');
	for (const word of ['drain;show info', 'drain show', 'drain\n', 'x"', '', 'a\u0000']) {
		t.throws(() => runtimeCommand('set', 'server', word), { instanceOf: RuntimeNameError });
	}
	t.throws(() => runtimeCommand(), { instanceOf: RuntimeNameError });
	t.is<string, string>(toWorker('current', runtimeCommand('show', 'info')), '@1 show info');
	t.is<string, string>(toWorker({ pid: 4257 }, runtimeCommand('show', 'info')), '@!4257 show info');
	t.throws(() => toWorker({ pid: -1 }, runtimeCommand('show', 'info')), { instanceOf: RuntimeNameError });
});

test('server actions refuse hostile and unknown names before a single byte reaches the socket', async (t) => {
	const haproxy = await fakeHaproxy(() => '\n');
	t.teardown(() => haproxy.close());
	const master = new RuntimeSocket(haproxy.path);
	const config = captureConfig();
	for (const name of hostile) {
		t.throws(() => checkTargets(config, [{ backend: name, server: 'cas1' }]), { instanceOf: RuntimeNameError });
		t.throws(() => checkTargets(config, [{ backend: 'be_owa', server: name }]), { instanceOf: RuntimeNameError });
	}
	// Well-formed, but not a pair the configuration renders (no cas4; be_mapi is 2013+ only; no hub in be_owa).
	for (const [backend, server] of [['be_owa', 'cas4'], ['be_mapi', 'cas1'], ['be_owa', 'hub1'], ['be_smtp', 'cas1']] as const) {
		const error = t.throws(() => checkTargets(config, [{ backend, server }]), { instanceOf: UnknownServerError });
		t.regex(error!.message, new RegExp(`${backend}/${server} is not a server of the configuration`));
	}
	// A pair of the configuration that the running haproxy does not have yet.
	const running = parseServersState(await fixture('show-servers-state.txt'));
	const withCas4 = captureConfig((c) => { c.casServers.push('10.77.0.14'); });
	t.throws(() => checkTargets(withCas4, [{ backend: 'be_owa', server: 'cas4' }], running), { instanceOf: UnknownServerError, message: /not loaded in the running haproxy/ });
	// A mixed batch is refused as a whole: the good pair is not sent either.
	t.throws(() => checkTargets(config, [{ backend: 'be_owa', server: 'cas1' }, { backend: 'be_owa;show info', server: 'cas1' }]));
	t.is(haproxy.connections(), 0, 'nothing was written to the socket');

	await setAdminState(master, checkTargets(config, [{ backend: 'be_owa', server: 'cas1' }, { backend: 'be_rpc_ca', server: 'cas2' }]), 'drain');
	await shutdownSessions(master, checkTargets(config, [{ backend: 'be_smtp', server: 'hub2' }]), { pid: 4312 });
	t.deepEqual(haproxy.commands, ['@1 set server be_owa/cas1 state drain', '@1 set server be_rpc_ca/cas2 state drain', '@!4312 shutdown sessions server be_smtp/hub2']);
	await t.throwsAsync(setAdminState(master, [], 'weight 0' as never), { instanceOf: RuntimeNameError });
});

test('haproxy not running: no socket file, or a socket file nobody listens on', async (t) => {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-socket-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	const missing = new RuntimeSocket(path.join(dir, 'absent.sock'), { timeoutMs: 300 });
	const error = await t.throwsAsync(missing.run(runtimeCommand('show', 'info')), { instanceOf: HaproxyNotRunningError });
	t.regex(error!.message, /haproxy is not running: nothing listens on .*absent\.sock \(ENOENT\)/);
	// What a killed haproxy leaves: the socket file, bound by nobody.
	const stale = path.join(dir, 'stale.sock');
	execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', stale]);
	const started = Date.now();
	const refused = await t.throwsAsync(new RuntimeSocket(stale).run(runtimeCommand('show', 'info')), { instanceOf: HaproxyNotRunningError });
	t.regex(refused!.message, /ECONNREFUSED/);
	t.true(Date.now() - started < 1000, 'a stats socket that refuses is not running: no waiting');
	// The master CLI refuses while it re-executes for a reload: retried, then not running.
	const master = await t.throwsAsync(masterCli(stale).run(runtimeCommand('show', 'proc')), { instanceOf: HaproxyNotRunningError });
	t.regex(master!.message, /ECONNREFUSED/);
});

test('a haproxy that does not answer within the deadline is a HaproxyTimeoutError', async (t) => {
	const haproxy = await fakeHaproxy(() => null);
	t.teardown(() => haproxy.close());
	const error = await t.throwsAsync(new RuntimeSocket(haproxy.path, { timeoutMs: 200 }).run(runtimeCommand('show', 'info')), { instanceOf: HaproxyTimeoutError });
	t.regex(error!.message, /no answer from .* to "show info" within 200 ms/);
});

test('an action answered with an error is a HaproxyCommandError quoting haproxy (captured answers)', async (t) => {
	const refused = await fixture('user-level-set-refused.txt');
	const missing = await fixture('no-such-server.txt');
	const haproxy = await fakeHaproxy((command) => (command.includes('cas9') ? missing : refused));
	t.teardown(() => haproxy.close());
	const socket = new RuntimeSocket(haproxy.path);
	const denied = await t.throwsAsync(socket.act(runtimeCommand('set', 'server', 'be_owa/cas1', 'state', 'drain')), { instanceOf: HaproxyCommandError });
	t.is(denied!.message, `haproxy refused "set server be_owa/cas1 state drain" on ${haproxy.path}: Permission denied`);
	const unknown = await t.throwsAsync(socket.act(runtimeCommand('set', 'server', 'be_owa/cas9', 'state', 'drain')), { instanceOf: HaproxyCommandError });
	t.regex(unknown!.message, /: No such server\.$/);
	t.is(unknown!.answer, missing);
});

// Serial: it counts the connections and their overlap, which the other tests' sockets must not disturb.
test.serial('one command in flight per client, one connection per command', async (t) => {
	const haproxy = await fakeHaproxy((command) => `${command}\n`);
	t.teardown(() => haproxy.close());
	const socket = new RuntimeSocket(haproxy.path);
	const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => socket.run(runtimeCommand('show', `n${n}`))));
	t.deepEqual(answers, ['show n1\n', 'show n2\n', 'show n3\n', 'show n4\n', 'show n5\n']);
	t.is(haproxy.connections(), 5);
	t.is(haproxy.maxConcurrent(), 1);
	// A failed command does not block the ones queued behind it.
	const failing = new RuntimeSocket(path.join(tmpdir(), 'exlb-no-such-dir', 'x.sock'), { timeoutMs: 100 });
	const [first, second] = await Promise.allSettled([failing.run(runtimeCommand('a')), failing.run(runtimeCommand('b'))]);
	t.is(first.status, 'rejected');
	t.is(second.status, 'rejected');
});
