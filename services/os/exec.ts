// The one boundary to external programs (execa underneath): argument arrays only, never a shell string.
// A failure becomes a CommandError naming the command line, how it ended and the last lines of its output.
import { execa, type ResultPromise } from 'execa';
import { lastLines, oneLine } from './output-tail.js';

export { indented, lastLines, oneLine } from './output-tail.js';

/** Output lines a CommandError keeps unless the caller asks for another count. */
export const defaultTailLines = 5;

/** How a command ended when it did not succeed. */
export type CommandFailure = 'exit' | 'timeout' | 'signal' | 'not-found' | 'canceled' | 'spawn';

export interface CommandOptions {
	readonly cwd?: string;
	/** Added to the environment of this process. */
	readonly env?: NodeJS.ProcessEnv;
	/** Written to the command's stdin (secrets go here, never into args); without it stdin is closed. */
	readonly input?: string | Uint8Array;
	/** Kill the command (SIGTERM) after this many milliseconds. */
	readonly timeoutMs?: number;
	/** Kill the command (SIGTERM) when this signal aborts. */
	readonly cancel?: AbortSignal;
	/** Called with every chunk of output (stdout and stderr interleaved) as it arrives. */
	readonly onOutput?: (chunk: string) => void;
	/** Which output the error tail is taken from: both streams interleaved (default), or stderr only (stdout may hold secrets). */
	readonly tailFrom?: 'output' | 'stderr';
	/** How many lines the error tail keeps (default defaultTailLines). */
	readonly tailLines?: number;
}

/** What a command printed and how it ended (tryCommand never throws for a failing command). */
export interface CommandOutcome {
	readonly stdout: string;
	readonly stderr: string;
	/** stdout and stderr interleaved as printed. */
	readonly output: string;
	/** undefined when the process did not exit by itself (killed, timed out, never started). */
	readonly exitCode: number | undefined;
	readonly failure: CommandFailure | null;
}

export class CommandError extends Error {
	override readonly name = 'CommandError';
	constructor(
		readonly command: string,
		readonly args: readonly string[],
		readonly failure: CommandFailure,
		readonly exitCode: number | undefined,
		/** The last lines of the command's output, "\n"-separated ('' when it printed nothing). */
		readonly tail: string,
		options?: { cause?: unknown },
	) {
		const ending = failure === 'exit' ? `exited with ${exitCode}` : `failed: ${failureText[failure]}`;
		super(`${commandLine(command, args)} ${ending}${tail === '' ? '' : `: ${oneLine(tail)}`}`, options);
	}
}

const failureText: Readonly<Record<CommandFailure, string>> = {
	exit: 'non-zero exit status',
	timeout: 'timed out',
	signal: 'killed by a signal',
	'not-found': 'command not found',
	canceled: 'canceled',
	spawn: 'could not be started',
};

/** The command as a user would type it (for messages only: it is never run through a shell). */
export function commandLine(command: string, args: readonly string[]): string {
	return [command, ...args].join(' ');
}

interface ExecaOutcome {
	readonly stdout?: unknown;
	readonly stderr?: unknown;
	readonly all?: unknown;
	readonly exitCode?: number;
	readonly failed?: boolean;
	readonly timedOut?: boolean;
	readonly isCanceled?: boolean;
	readonly signal?: string;
	readonly code?: string;
}

function failureOf(result: ExecaOutcome): CommandFailure | null {
	if (!result.failed) return null;
	if (result.timedOut) return 'timeout';
	if (result.isCanceled) return 'canceled';
	if (result.code === 'ENOENT') return 'not-found';
	if (result.exitCode !== undefined) return 'exit';
	if (result.signal !== undefined) return 'signal';
	return 'spawn';
}

/** Runs a command to its end and reports what happened; a failing command is an outcome, not an exception. */
export async function tryCommand(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandOutcome> {
	const subprocess = execa(command, args, {
		reject: false,
		all: true,
		encoding: 'utf8',
		stdin: options.input === undefined ? 'ignore' : 'pipe',
		input: options.input,
		cwd: options.cwd,
		env: options.env,
		timeout: options.timeoutMs,
		cancelSignal: options.cancel,
	});
	const onOutput = options.onOutput;
	if (onOutput !== undefined) subprocess.all.on('data', (chunk: Buffer | string) => onOutput(chunk.toString()));
	const result: ExecaOutcome = await subprocess;
	const failure = failureOf(result);
	return {
		stdout: String(result.stdout ?? ''),
		stderr: String(result.stderr ?? ''),
		output: String(result.all ?? ''),
		exitCode: failure === null || failure === 'exit' ? result.exitCode : undefined,
		failure,
	};
}

/** Runs a command to its end and returns its stdout; any failure throws a CommandError (with the execa result as cause). */
export async function runCommand(command: string, args: readonly string[], options: CommandOptions = {}): Promise<string> {
	const outcome = await tryCommand(command, args, options);
	if (outcome.failure !== null) throw commandErrorOf(command, args, outcome, options);
	return outcome.stdout;
}

/** The CommandError describing a failed outcome. */
export function commandErrorOf(command: string, args: readonly string[], outcome: CommandOutcome, options: CommandOptions = {}): CommandError {
	if (outcome.failure === null) throw new RangeError(`${commandLine(command, args)} did not fail`);
	const source = options.tailFrom === 'stderr' ? outcome.stderr : outcome.output;
	const tail = lastLines(source, options.tailLines ?? defaultTailLines);
	return new CommandError(command, args, outcome.failure, outcome.exitCode, tail, { cause: outcome });
}

/** A long-running program started in the background (a daemon in the foreground of its own process). */
export interface BackgroundProcess {
	readonly pid: number;
	kill(signal: NodeJS.Signals): void;
	/** Settles (never rejects) when the process has exited. */
	readonly exited: Promise<void>;
}

/** Starts a program without waiting for it; its output (both streams) goes to onOutput, nothing is buffered. */
export function startBackground(command: string, args: readonly string[], onOutput: (chunk: string) => void): BackgroundProcess {
	const subprocess: ResultPromise<{ all: true; reject: false; stdin: 'ignore'; buffer: false }> =
		execa(command, args, { all: true, reject: false, stdin: 'ignore', buffer: false });
	if (subprocess.pid === undefined) throw new CommandError(command, args, 'spawn', undefined, '');
	subprocess.all.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
	return {
		pid: subprocess.pid,
		kill: (signal) => { subprocess.kill(signal); },
		exited: subprocess.then(() => undefined),
	};
}
