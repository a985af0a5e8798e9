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

const guestMemory = { type: 'number', integer: true, default: 512, value: 'MiB', help: 'API and firmware benches: memory of the QEMU guest' } as const;

export const apiOptions = {
	places: { type: 'list', choices: ['host', 'tcg'], default: ['host', 'tcg'], help: 'API bench: where to measure PATCH → applied, comma-separated' },
	patches: { type: 'number', integer: true, default: 10, help: 'API bench: PATCHes measured in each place (medians reported)' },
	memory: guestMemory,
} as const satisfies Spec;

export const webOptions = {
	requests: { type: 'number', integer: true, default: 10_000, help: 'web bench: API requests after the login' },
	concurrency: { type: 'number', integer: true, default: 10, help: 'web bench: requests in flight at once' },
} as const satisfies Spec;

export const webUiOptions = {
	navigations: { type: 'number', integer: true, default: 5, help: 'web-ui bench: navigations measured, cold and warm each' },
	minutes: { type: 'number', default: 5, help: 'web-ui bench: how long a browser stays on the live dashboard for the memory figure' },
} as const satisfies Spec;

export const haOptions = {
	'ha-places': { type: 'list', choices: ['netns', 'tcg'], default: ['netns', 'tcg'], help: 'HA bench: two balancers in network namespaces (per advert interval), two appliances under QEMU TCG, or both, comma-separated' },
	failovers: { type: 'number', integer: true, default: 5, help: 'HA bench: failovers (and syncs, split brains) measured per place, advertisement interval and case (medians reported)' },
	intervals: { type: 'list', choices: ['1000', '500', '300', '250', '200', '100', '50'], default: ['1000', '500', '250', '100'], value: 'MS,...', help: 'HA bench: VRRP advertisement intervals measured, milliseconds' },
} as const satisfies Spec;

export const firmwareOptions = {
	memory: guestMemory,
} as const satisfies Spec;

export const benchNames = ['build', 'firstboot', 'engine', 'logging', 'api', 'web', 'webui', 'ha', 'firmware'] as const;

export const benchOptions = {
	only: { type: 'list', choices: benchNames, help: 'the benches to run, comma-separated (default all)' },
	...buildOptions,
	...firstbootOptions,
	...engineOptions,
	...apiOptions,
	...webOptions,
	...webUiOptions,
	...haOptions,
	...firmwareOptions,
} as const satisfies Spec;
