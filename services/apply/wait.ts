// Waiting on a condition with a deadline (never sleep-and-hope), and reading listening ports from /proc.
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

export class DeadlineError extends Error {
	override readonly name = 'DeadlineError';
}

/** Thrown by a condition to stop waiting at once (e.g. the process exited): not retried. */
export class StopWaiting extends Error {
	override readonly name = 'StopWaiting';
}

/** Polls `condition` every `intervalMs` until it returns a value other than undefined/false, or the deadline passes. */
export async function waitFor<T>(
	what: string,
	timeoutMs: number,
	condition: () => Promise<T | undefined | false> | T | undefined | false,
	intervalMs = 25,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await condition();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			if (error instanceof StopWaiting) throw error;
			lastError = error;
		}
		if (Date.now() > deadline) {
			const last = lastError instanceof Error ? ` (last: ${lastError.message})` : '';
			throw new DeadlineError(`timed out after ${timeoutMs} ms waiting for ${what}${last}`, { cause: lastError });
		}
		await delay(intervalMs);
	}
}

/** TCP ports in LISTEN state in the network namespace of process `pid` (IPv4 and IPv6). */
export async function listeningPorts(pid: number): Promise<Set<number>> {
	const ports = new Set<number>();
	for (const table of ['tcp', 'tcp6']) {
		const text = await readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '');
		for (const line of text.split('\n').slice(1)) {
			const columns = line.trim().split(/\s+/);
			if (columns[3] === '0A') ports.add(Number.parseInt(columns[1]!.split(':')[1]!, 16));
		}
	}
	return ports;
}
