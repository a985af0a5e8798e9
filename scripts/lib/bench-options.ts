// The options of `make bench` (scripts/bench.ts) and of each bench run alone; bench.ts takes them all and
// hands each bench the values it reads.
import type { Spec } from './args.js';

export const buildOptions = {
	quick: { type: 'boolean', help: 'build bench: skip the two cold builds, use the normal cache' },
	boots: { type: 'number', integer: true, default: 3, help: 'build bench: boots of the qcow2 (medians reported)' },
} as const satisfies Spec;

export const firstbootOptions = {
	runs: { type: 'number', integer: true, default: 3, env: 'EXLB_BENCH_RUNS', help: 'first-boot bench: boots (medians reported)' },
} as const satisfies Spec;

export const engineOptions = {
	rounds: { type: 'number', integer: true, default: 3, env: 'BENCH_ROUNDS', help: 'engine and logging benches: rounds of every measurement (medians reported)' },
	seconds: { type: 'number', value: 'S', default: 5, env: 'BENCH_SECONDS', help: 'engine and logging benches: seconds per measurement' },
} as const satisfies Spec;

export const benchNames = ['build', 'firstboot', 'engine', 'logging'] as const;

export const benchOptions = {
	only: { type: 'list', choices: benchNames, help: 'the benches to run, comma-separated (default all)' },
	...buildOptions,
	...firstbootOptions,
	...engineOptions,
} as const satisfies Spec;
