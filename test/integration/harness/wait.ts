// Wait on a condition with a deadline instead of sleeping and hoping.
import { setTimeout as delay } from 'node:timers/promises';

export class WaitTimeoutError extends Error {
	override name = 'WaitTimeoutError';
}

/** Thrown by a check to stop waiting at once (the awaited thing can no longer happen). */
export class WaitAbortedError extends Error {
	override name = 'WaitAbortedError';
}

/** Polls `check` until it returns a truthy value (returned) or `timeoutMs` passes (throws, naming `what`). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			if (error instanceof WaitAbortedError) throw error;
			lastError = error;
		}
		if (Date.now() > deadline) {
			const last = lastError instanceof Error ? ` (last: ${lastError.message})` : '';
			throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}${last}`, { cause: lastError });
		}
		await delay(intervalMs);
	}
}
