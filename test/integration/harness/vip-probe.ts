// Starts vip-probe.mjs in the client namespace: requests through the VIP every few milliseconds, each answer or
// failure timestamped, so a failover's length and its failed requests can be read afterwards.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../../services/apply/wait.js';
import type { Lan } from './netns.js';

const script = fileURLToPath(new URL('./vip-probe.mjs', import.meta.url));

export interface ProbeResult {
	/** When the request started, ms since the epoch. */
	readonly t: number;
	readonly ok: boolean;
	/** The balancer's address as the CAS saw it (which node served), null on failure. */
	readonly by: string | null;
	/** The CAS that answered, null on failure. */
	readonly cas: string | null;
	readonly ms: number;
}

export interface VipProbe {
	/** The results so far, oldest first. */
	results(): readonly ProbeResult[];
	stop(): Promise<readonly ProbeResult[]>;
}

export function startVipProbe(lan: Lan, vip: string, pauseMs = 20, timeoutMs = 300): VipProbe {
	const child = spawn('ip', ['netns', 'exec', lan.ns('client'), process.execPath, script, vip, String(pauseMs), String(timeoutMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
	const results: ProbeResult[] = [];
	let partial = '';
	child.stdout.on('data', (chunk: Buffer) => {
		const lines = (partial + chunk.toString()).split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) if (line.trim() !== '') results.push(JSON.parse(line) as ProbeResult);
	});
	const exited = once(child, 'exit');
	return {
		results: () => results,
		async stop() {
			child.kill('SIGTERM');
			await exited;
			return results;
		},
	};
}

/** From `since`: the time to the first answer served by `by`, and the requests that failed meanwhile. */
export function failoverOf(results: readonly ProbeResult[], since: number, by: string): { ms: number; failed: number } | null {
	const after = results.filter((result) => result.t >= since);
	const first = after.find((result) => result.ok && result.by === by);
	if (first === undefined) return null;
	return { ms: first.t + first.ms - since, failed: after.filter((result) => result.t < first.t && !result.ok).length };
}

export interface FailoverRun {
	/** When the cause was set off, ms since the epoch. */
	readonly since: number;
	/** From the cause to the first answer served by the new node. */
	readonly ms: number;
	/** Requests that failed meanwhile. */
	readonly failed: number;
}

export interface FailoverOptions {
	/** The serving node's address before the cause (any answer will do when absent). */
	readonly from?: string;
	/** The node that must serve after it: its address, and its name for messages. */
	readonly to: { readonly address: string; readonly name: string };
	/** What makes the VIP move (a node frozen, a link cut, a daemon stopped). */
	readonly cause: () => Promise<unknown>;
	readonly deadlineMs: number;
	/** The probe's pause between requests and each request's deadline (startVipProbe's). */
	readonly pauseMs?: number;
	readonly requestTimeoutMs?: number;
}

/** Probes the VIP from the client namespace; once it is served (by `from`), sets off `cause` and measures the failover to `to`. */
export async function failoverDuring(lan: Lan, vip: string, options: FailoverOptions): Promise<FailoverRun> {
	const probe = startVipProbe(lan, vip, options.pauseMs, options.requestTimeoutMs);
	try {
		const served = (result: ProbeResult) => result.ok && (options.from === undefined || result.by === options.from);
		await waitFor(`answers through the VIP${options.from === undefined ? '' : ` from ${options.from}`}`, options.deadlineMs, () => probe.results().some(served), 20);
		const since = Date.now();
		await options.cause();
		const figure = await waitFor(`an answer through the VIP from ${options.to.name}`, options.deadlineMs, () => failoverOf(probe.results(), since, options.to.address) ?? undefined, 20);
		return { since, ...figure };
	} finally {
		await probe.stop();
	}
}
