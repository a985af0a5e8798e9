// Step logging and command running: every step prints its name and duration; every failing
// command becomes a BuildStepError carrying the command line, its last output lines and a hint.
import { execa, type Options } from 'execa';
import { BuildStepError } from './errors.js';

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

export function lastLines(text: string, count = tailLines): string {
	return text.split('\n').slice(-count).join('\n');
}

export interface RunOptions extends Pick<Options, 'cwd' | 'env' | 'input'> {
	/** What to tell the user if this command fails. */
	hint: string;
	/** Pass output through to the terminal as it comes (long steps like mmdebstrap). */
	stream?: boolean;
	/** Binary stdout wanted. */
	encoding?: 'buffer';
}

/** Runs a command (argument array, never a shell string); on failure throws BuildStepError. */
export async function run(file: string, args: readonly string[], options: RunOptions): Promise<string> {
	const { hint, stream, ...rest } = options;
	let output = '';
	try {
		const child = execa(file, args, { ...rest, all: true, stdin: options.input === undefined ? 'ignore' : 'pipe', encoding: 'utf8' });
		if (stream) {
			child.all?.on('data', (chunk: Buffer | string) => {
				process.stderr.write(`    ${chunk.toString().replace(/\n(?=.)/g, '\n    ')}`);
			});
		}
		const result = await child;
		output = result.all ?? '';
		return result.stdout;
	} catch (error: unknown) {
		const all = (error as { all?: string }).all ?? (error as Error).message;
		const missing = (error as { code?: string }).code === 'ENOENT';
		throw new BuildStepError(currentStep, [file, ...args].join(' '), lastLines(String(all ?? output)), missing ? `"${file}" is not installed: run "make deps" (scripts/host-packages/image.txt). ${hint}` : hint, { cause: error });
	}
}
