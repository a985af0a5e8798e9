// One wrk measurement from the client namespace of a test segment (the engine and logging benchmarks).
import type { Lan } from '../../test/integration/harness/netns.js';
import { parseWrk } from '../../test/integration/harness/load.js';

export interface WrkFigures {
	readonly rps: number;
	readonly requests: number;
	readonly failures: number;
}

/** Requests/s for `seconds` (keep-alive unless `fresh`: then one connection per request), 2 threads, 32 connections. */
export async function wrk(lan: Lan, seconds: number, url: string, fresh = false): Promise<WrkFigures> {
	const args = ['-t2', '-c32', `-d${seconds}s`, '--timeout', '5s', ...(fresh ? ['-H', 'Connection: close'] : []), url];
	const { stdout } = await lan.run('client', 'wrk', args, { timeoutMs: (seconds + 30) * 1000 });
	const result = parseWrk(url, stdout);
	return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN), requests: result.requests, failures: result.failures };
}
