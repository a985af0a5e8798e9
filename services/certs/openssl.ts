// The openssl CLI behind the exec boundary: argument arrays only, secrets on stdin, typed failures.
import { CommandError, lastLines, oneLine, runCommand } from '../os/exec.js';

const opensslTimeoutMs = 60_000;
/** stderr lines kept to classify a failure (e.g. a wrong PKCS#12 password) ... */
const diagnosticLines = 20;
/** ... and the lines of it quoted in the message. */
const messageLines = 3;

export class OpenSslError extends Error {
	override readonly name = 'OpenSslError';
	/** The last lines of openssl's stderr (never its stdout, which may hold a private key). */
	constructor(readonly args: readonly string[], readonly stderr: string, options?: { cause?: unknown }) {
		super(`openssl ${args[0] ?? ''} failed: ${oneLine(lastLines(stderr, messageLines)) || 'no output'}`, options);
	}
}

export async function openssl(args: string[], input?: string | Uint8Array): Promise<string> {
	try {
		return await runCommand('openssl', args, { input, timeoutMs: opensslTimeoutMs, tailFrom: 'stderr', tailLines: diagnosticLines });
	} catch (error) {
		if (error instanceof CommandError) throw new OpenSslError(args, error.tail || error.message, { cause: error });
		throw error;
	}
}
