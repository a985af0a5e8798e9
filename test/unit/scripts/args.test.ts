import test from 'ava';
import { parseOptions, usage, UsageError, type Spec } from '../../../scripts/lib/args.js';
import { benchOptions } from '../../../scripts/lib/bench-options.js';

const spec = {
	rounds: { type: 'number', integer: true, default: 3, env: 'BENCH_ROUNDS', help: 'rounds' },
	seconds: { type: 'number', default: 5, env: 'BENCH_SECONDS', help: 'seconds' },
	quick: { type: 'boolean', help: 'skip cold builds' },
	out: { type: 'string', value: 'DIR', help: 'output directory' },
	firmware: { type: 'string', choices: ['bios', 'uefi'], default: 'bios', env: 'FW', help: 'firmware' },
	only: { type: 'list', choices: ['build', 'firstboot', 'engine'], help: 'benches' },
} as const satisfies Spec;

test('no arguments: the defaults, every list choice, booleans false', (t) => {
	t.deepEqual(parseOptions(spec, []), { help: false, rounds: 3, seconds: 5, quick: false, out: undefined, firmware: 'bios', only: ['build', 'firstboot', 'engine'] });
});

test('options in both forms, numbers converted, lists split', (t) => {
	const values = parseOptions(spec, ['--rounds', '1', '--seconds=2.5', '--quick', '--out', 'x/y', '--firmware=uefi', '--only', 'engine,build']);
	t.like(values, { rounds: 1, seconds: 2.5, quick: true, out: 'x/y', firmware: 'uefi', only: ['engine', 'build'] });
});

test('an option beats its environment variable, which beats the default', (t) => {
	const env = { BENCH_ROUNDS: '7', BENCH_SECONDS: '1', FW: 'uefi' };
	t.like(parseOptions(spec, ['--rounds', '2'], env), { rounds: 2, seconds: 1, firmware: 'uefi' });
	t.like(parseOptions(spec, [], { BENCH_ROUNDS: '' }), { rounds: 3 });
});

test('the last of a repeated option wins', (t) => {
	t.is(parseOptions(spec, ['--rounds', '2', '--rounds', '4']).rounds, 4);
});

test('--help and -h', (t) => {
	t.true(parseOptions(spec, ['--help']).help);
	t.true(parseOptions(spec, ['-h']).help);
});

test('mistakes are usage errors that name the option or variable', (t) => {
	const wrong: [string[], NodeJS.ProcessEnv, string][] = [
		[['--round', '2'], {}, 'unknown option --round'],
		[['-x'], {}, 'unknown option -x'],
		[['extra'], {}, 'unexpected argument "extra"'],
		[['--rounds', 'many'], {}, '--rounds wants a positive whole number, not "many"'],
		[['--rounds', '1.5'], {}, '--rounds wants a positive whole number, not "1.5"'],
		[['--seconds', '0'], {}, '--seconds wants a positive number, not "0"'],
		[['--rounds'], {}, '--rounds wants a positive whole number, not ""'],
		[[], { BENCH_SECONDS: 'fast' }, 'BENCH_SECONDS wants a positive number, not "fast"'],
		[['--only', 'engine,boot'], {}, '--only: "boot" is not one of build, firstboot, engine'],
		[['--firmware', 'efi'], {}, '--firmware: "efi" is not one of bios, uefi'],
		[['--out'], {}, '--out wants a value'],
	];
	for (const [args, env, message] of wrong) t.throws(() => parseOptions(spec, args, env), { instanceOf: UsageError, message }, args.join(' '));
});

test('usage lists every option with its value, default and variable', (t) => {
	const text = usage(spec);
	t.regex(text, /--rounds N +rounds \(default 3; env BENCH_ROUNDS\)/);
	t.regex(text, /--quick +skip cold builds\n/);
	t.regex(text, /--out DIR +output directory/);
	t.regex(text, /--only build,firstboot,engine +benches/);
	t.regex(text, /--help, -h +this text$/);
});

test('make bench: the options of the three benches, forwarded by name', (t) => {
	const values = parseOptions(benchOptions, ['--only', 'engine', '--rounds', '1', '--seconds', '2'], { EXLB_BENCH_RUNS: '5' });
	t.like(values, { only: ['engine'], rounds: 1, seconds: 2, runs: 5, boots: 3, quick: false });
});
