// The openssl CLI behind a thin boundary: argument arrays only, secrets on stdin, typed failures.
import { execa } from 'execa';

export class OpenSslError extends Error {
	override readonly name = 'OpenSslError';
	constructor(readonly args: readonly string[], readonly stderr: string, options?: { cause?: unknown }) {
		super(`openssl ${args[0] ?? ''} failed: ${stderr.trim().split('\n').slice(-3).join(' | ') || 'no output'}`, options);
	}
}

export async function openssl(args: string[], input?: string | Uint8Array): Promise<string> {
	const result = await execa('openssl', args, { reject: false, timeout: 60_000, ...(input === undefined ? { stdin: 'ignore' as const } : { input }) });
	if (result.exitCode !== 0 || result.failed) throw new OpenSslError(args, String(result.stderr || result.message), { cause: result });
	return String(result.stdout);
}
