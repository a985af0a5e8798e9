// CPU time used by the processes of a network namespace (the benchmarks' balancer: haproxy, stunnel, its log
// receiver), from /proc/<pid>/stat: what the appliance's own cores spend, whatever else the host is running.
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';

/** Per pid: the command name and its user + system clock ticks so far. */
export type CpuSample = ReadonlyMap<number, { readonly command: string; readonly ticks: number }>;

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const ticksPerSecond = Number((await execa('getconf', ['CLK_TCK'])).stdout);

/** Every process in the namespace, and the `extra` ones (a helper of the balancer that runs outside it). */
export async function sampleCpu(ns: string, extra: readonly number[] = []): Promise<CpuSample> {
	const { stdout } = await execa('ip', ['netns', 'pids', ns]);
	const sample = new Map<number, { command: string; ticks: number }>();
	for (const pid of [...stdout.split(/\s+/).filter(Boolean).map(Number), ...extra]) {
		try {
			const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
			// The command name is in parentheses and may hold spaces; after it, state is field 3, utime 14, stime 15.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			sample.set(pid, { command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticks: Number(fields[11]) + Number(fields[12]) });
		} catch {
			// The process ended between the two reads.
		}
	}
	return sample;
}

/** CPU seconds per command name used between the samples by the processes present in both. */
export function cpuSecondsBetween(before: CpuSample, after: CpuSample): Map<string, number> {
	const seconds = new Map<string, number>();
	for (const [pid, end] of after) {
		const start = before.get(pid);
		if (start !== undefined) seconds.set(end.command, (seconds.get(end.command) ?? 0) + (end.ticks - start.ticks) / ticksPerSecond);
	}
	return seconds;
}
