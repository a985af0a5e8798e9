// Step logging and command running: every step prints its name and duration; every failing
// command becomes a BuildStepError carrying the command line, its last output lines and a hint.
import { CommandError, commandLine, runCommand } from '../../services/os/exec.js';
import { BuildStepError } from './errors.js';

/** Output lines a BuildStepError quotes. */
const tailLines = 25;

/** The step currently running, so run() can name it in errors. */
let currentStep = 'setup';

export function log(message: string): void {
	process.stderr.write(`${message}\n`);
}

export type StepEvent = { readonly phase: 'start' | 'end'; readonly name: string };
const stepListeners = new Set<(event: StepEvent) => void>();

/** Calls `listener` when a step starts and when it ends (a progress display, scripts/lib/progress.ts); returns the unsubscribe. */
export function onStep(listener: (event: StepEvent) => void): () => void {
	stepListeners.add(listener);
	return () => stepListeners.delete(listener);
}

/** Runs one named step, printing "▶ name" and "✓ name (12.3 s)". */
export async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
	const outer = currentStep;
	currentStep = name;
	const started = performance.now();
	log(`▶ ${name}`);
	for (const listener of stepListeners) listener({ phase: 'start', name });
	try {
		const result = await body();
		log(`✓ ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
		return result;
	} finally {
		currentStep = outer;
		for (const listener of stepListeners) listener({ phase: 'end', name });
	}
}

export interface RunOptions {
	/** What to tell the user if this command fails. */
	hint: string;
	/** Pass output through to the terminal as it comes (long steps like mmdebstrap). */
	stream?: boolean;
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	input?: string | Uint8Array;
}

/** Prints a chunk of a streamed command's output, indented under its step. */
function echoIndented(chunk: string): void {
	process.stderr.write(`    ${chunk.replace(/\n(?=.)/g, '\n    ')}`);
}

/** Runs a command (argument array, never a shell string); on failure throws BuildStepError. */
export async function run(file: string, args: readonly string[], options: RunOptions): Promise<string> {
	const { hint, stream, ...commandOptions } = options;
	try {
		return await runCommand(file, args, { ...commandOptions, tailLines, onOutput: stream ? echoIndented : undefined });
	} catch (error: unknown) {
		if (!(error instanceof CommandError)) throw error;
		const advice = error.failure === 'not-found' ? `"${file}" is not installed: run "make deps" (scripts/host-packages/image.txt). ${hint}` : hint;
		throw new BuildStepError(currentStep, commandLine(file, args), error.tail || error.message, advice, { cause: error });
	}
}
