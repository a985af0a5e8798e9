// How an unexpected failure is explained to a person: its message, then each cause on its own line
// (the command, the daemon, the system call).

/** The message of `error` followed by "  caused by: …" for every Error in its cause chain. */
export function causeChain(error: unknown): string {
	let text = error instanceof Error ? error.message : String(error);
	for (let cause = error instanceof Error ? error.cause : undefined; cause instanceof Error; cause = cause.cause) text += `\n  caused by: ${cause.message}`;
	return text;
}
