// Progress for the long steps of `make image` and `make bench`. On a terminal: one status line at the bottom,
// a spinner with what is running and for how long ("⠹ rootfs · 42 s"); every other write to stdout or stderr
// clears it first and redraws it after, so the steps' own lines scroll above it intact. Without a terminal on
// stderr (CI, a pipe, a log file) or with CI set, nothing is drawn and nothing is hooked: plain lines only.
// (zx's spinner() is not used: it only stands down for CI or $.quiet, and lines written while it spins garble.)
import { onStep } from '../../image/pipeline/step.js';

const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

type Stream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };

export interface StatusLine {
	/** Shows `text` (with a spinner and the seconds since it was set); undefined hides the line. */
	set(text: string | undefined): void;
	/** Hides the line and unhooks the streams. */
	stop(): void;
	readonly live: boolean;
	readonly text: string | undefined;
}

export function statusLine(stream: Stream = process.stderr, hooked: Stream[] = [process.stdout, process.stderr], env: NodeJS.ProcessEnv = process.env): StatusLine {
	if (!stream.isTTY || env.CI) return { set() {}, stop() {}, live: false, text: undefined };
	const write = stream.write.bind(stream) as (text: string) => boolean;
	let text: string | undefined;
	let since = 0;
	let frame = 0;
	let drawn = false;
	let atLineStart = true;
	const clear = () => {
		if (drawn) write('\r\x1b[K');
		drawn = false;
	};
	const draw = () => {
		if (text === undefined || !atLineStart) return;
		const line = `${frames[frame++ % frames.length]} ${text} · ${Math.floor((performance.now() - since) / 1000)} s`;
		write(`\r\x1b[K${line.slice(0, Math.max(10, (stream.columns || 80) - 1))}`);
		drawn = true;
	};
	const originals = hooked.map((target) => {
		const original = target.write;
		target.write = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
			clear();
			const result = (original as (...args: unknown[]) => boolean).call(target, chunk, ...rest);
			const tail = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : '';
			if (tail !== '') atLineStart = tail.endsWith('\n');
			draw();
			return result;
		} as typeof target.write;
		return [target, original] as const;
	});
	const timer = setInterval(() => {
		clear();
		draw();
	}, 100);
	timer.unref();
	return {
		live: true,
		get text() {
			return text;
		},
		set(next) {
			if (next !== text) since = performance.now();
			text = next;
			clear();
			draw();
		},
		stop() {
			clearInterval(timer);
			text = undefined;
			clear();
			for (const [target, original] of originals) target.write = original;
		},
	};
}

let shared: StatusLine | undefined;
const line = () => (shared ??= statusLine());

const log = (message: string) => process.stderr.write(`${message}\n`);
const seconds = (started: number) => ((performance.now() - started) / 1000).toFixed(1);

/**
 * Runs one long step: "▶ title" and "✓ title (12.3 s)" (or "✗ title (12.3 s)"), the way the image pipeline's
 * steps print; on a terminal the spinner line stands in for the "▶" line.
 */
export async function task<T>(title: string, body: () => Promise<T>): Promise<T> {
	const started = performance.now();
	if (line().live) line().set(title);
	else log(`▶ ${title}`);
	try {
		const value = await body();
		line().set(undefined);
		log(`✓ ${title} (${seconds(started)} s)`);
		return value;
	} catch (error: unknown) {
		line().set(undefined);
		log(`✗ ${title} (${seconds(started)} s)`);
		throw error;
	}
}

/** While `body` runs, the status line shows the image pipeline's running steps ("disk › conversions"). */
export async function withStepProgress<T>(body: () => Promise<T>): Promise<T> {
	if (!line().live) return body();
	const outer = line().text;
	const running: string[] = outer === undefined ? [] : [outer];
	const off = onStep((event) => {
		const index = running.lastIndexOf(event.name);
		if (event.phase === 'start') running.push(event.name);
		else if (index >= 0) running.splice(index, 1);
		line().set(running.length ? running.join(' › ') : undefined);
	});
	try {
		return await body();
	} finally {
		off();
		line().set(outer);
	}
}
