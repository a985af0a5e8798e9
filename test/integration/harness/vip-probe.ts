// Starts vip-probe.mjs in the client namespace: requests through the VIP every few milliseconds, each answer or
// failure timestamped, so a failover's length and its failed requests can be read afterwards.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
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
