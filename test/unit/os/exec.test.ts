import test from 'ava';
import { CommandError, commandErrorOf, runCommand, startBackground, tryCommand } from '../../../services/os/exec.js';

const node = process.execPath;
/** A node program that prints `lines` on stdout, `errors` on stderr and exits with `code`. */
const script = (lines: string[], errors: string[], code: number) =>
	`${lines.map((line) => `console.log(${JSON.stringify(line)});`).join('')}${errors.map((line) => `console.error(${JSON.stringify(line)});`).join('')}process.exit(${code})`;

test('runCommand returns stdout; input goes to stdin; env is added to the environment', async (t) => {
	t.is(await runCommand(node, ['-e', script(['hello'], ['noise'], 0)]), 'hello');
	t.is(await runCommand(node, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'secret\n' }), 'secret');
	t.is(await runCommand(node, ['-e', 'console.log(process.env.EXLB_TEST_VALUE)'], { env: { EXLB_TEST_VALUE: 'set' } }), 'set');
});

test('a failing command throws CommandError with command, args, exit code and the tail of its output', async (t) => {
	const args = ['-e', script(['out 1', 'out 2'], ['err 1', 'err 2', 'err 3'], 3)];
	const error = await t.throwsAsync(runCommand(node, args, { tailLines: 2 }), { instanceOf: CommandError });
	t.is(error!.command, node);
	t.deepEqual(error!.args, args);
	t.is(error!.failure, 'exit');
	t.is(error!.exitCode, 3);
	t.is(error!.tail, 'err 2\nerr 3');
	t.true(error!.message.endsWith('exited with 3: err 2 | err 3'));
	t.is((error!.cause as { exitCode?: number }).exitCode, 3);
});

test('tailFrom stderr keeps stdout (which may hold a secret) out of the error', async (t) => {
	// The secret is assembled at run time so the command line itself does not contain it.
	const program = 'console.log(["PRIVATE", "KEY"].join(" ")); console.error("bad decrypt"); process.exit(1)';
	const error = await t.throwsAsync(runCommand(node, ['-e', program], { tailFrom: 'stderr' }), { instanceOf: CommandError });
	t.is(error!.tail, 'bad decrypt');
	t.false(error!.message.includes('PRIVATE KEY'));
});

test('a missing program, a timeout and a cancel are named failures without an exit code', async (t) => {
	const missing = await t.throwsAsync(runCommand('/nonexistent/exlb-no-such-tool', ['x']), { instanceOf: CommandError });
	t.is(missing!.failure, 'not-found');
	t.is(missing!.exitCode, undefined);
	t.regex(missing!.message, /^\/nonexistent\/exlb-no-such-tool x failed: command not found/);
	const slow = await tryCommand(node, ['-e', 'setTimeout(() => {}, 10_000)'], { timeoutMs: 200 });
	t.is(slow.failure, 'timeout');
	t.is(slow.exitCode, undefined);
	const stop = new AbortController();
	const canceled = await tryCommand(node, ['-e', 'console.log("ready"); setTimeout(() => {}, 10_000)'], {
		cancel: stop.signal,
		onOutput: (chunk) => { if (chunk.includes('ready')) stop.abort(); },
	});
	t.is(canceled.failure, 'canceled');
	t.is(canceled.output.trim(), 'ready');
});

test('tryCommand reports a failure as an outcome with interleaved output; commandErrorOf refuses a success', async (t) => {
	const outcome = await tryCommand(node, ['-e', script(['a'], ['b'], 2)]);
	t.is(outcome.exitCode, 2);
	t.is(outcome.failure, 'exit');
	t.is(outcome.stdout, 'a');
	t.is(outcome.stderr, 'b');
	t.deepEqual(outcome.output.split('\n').sort(), ['a', 'b']);
	const ok = await tryCommand(node, ['-e', '']);
	t.is(ok.failure, null);
	t.is(ok.exitCode, 0);
	t.throws(() => commandErrorOf(node, [], ok), { instanceOf: RangeError });
});

test('startBackground streams output, exposes the pid and settles exited after a kill', async (t) => {
	let output = '';
	let ready!: () => void;
	const printed = new Promise<void>((resolve) => { ready = resolve; });
	const started = startBackground(node, ['-e', 'console.log("up"); setInterval(() => {}, 1000)'], (chunk) => {
		output += chunk;
		if (output.includes('up')) ready();
	});
	t.true(started.pid > 0);
	await printed;
	started.kill('SIGTERM');
	await started.exited;
	t.is(output.trim(), 'up');
	t.throws(() => startBackground('/nonexistent/exlb-no-such-daemon', [], () => {}), { instanceOf: CommandError });
});
