// The engine's deadline wait (services/apply/wait.ts) with the integration tests' argument order and defaults.
import { waitFor as waitWithDeadline, DeadlineError, StopWaiting } from '../../../services/apply/wait.js';

export { DeadlineError as WaitTimeoutError, StopWaiting as WaitAbortedError };

/** Polls `check` until it returns a value other than undefined/false (returned) or `timeoutMs` passes (throws, naming `what`). */
export function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
	return waitWithDeadline(what, timeoutMs, check, intervalMs);
}
