// A continuous load generator in the client namespace: wrk, stopped with SIGINT (wrk then prints its
// totals). wrk counts every socket error (connect, read, write, timeout) and every non-2xx/3xx answer.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Lan } from './netns.js';

export interface LoadResult {
	readonly label: string;
	readonly requests: number;
	readonly connectErrors: number;
	readonly readErrors: number;
	readonly writeErrors: number;
	readonly timeouts: number;
	readonly badStatus: number;
	/** Every failure: socket errors of all kinds plus non-2xx/3xx answers. */
	readonly failures: number;
	readonly output: string;
}

export interface RunningLoad {
	readonly label: string;
	stop(): Promise<LoadResult>;
}

export function parseWrk(label: string, output: string): LoadResult {
	const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? NaN);
	const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
	const [connectErrors, readErrors, writeErrors, timeouts] = sock ? sock.slice(1).map(Number) as [number, number, number, number] : [0, 0, 0, 0];
	const badStatus = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
	return { label, requests, connectErrors, readErrors, writeErrors, timeouts, badStatus, failures: connectErrors + readErrors + writeErrors + timeouts + badStatus, output };
}

export interface LoadOptions {
	connections?: number;
	/** Open a new connection for every request ("Connection: close"). */
	newConnections?: boolean;
	/** Upper bound: wrk stops by itself after this even if nobody stops it. */
	maxSeconds?: number;
	timeoutSeconds?: number;
}

export function startLoad(lan: Lan, label: string, url: string, options: LoadOptions = {}): RunningLoad {
	const args = ['-t1', `-c${options.connections ?? 2}`, `-d${options.maxSeconds ?? 240}s`, '--timeout', `${options.timeoutSeconds ?? 5}s`];
	if (options.newConnections) args.push('-H', 'Connection: close');
	args.push(url);
	const child = spawn('ip', ['netns', 'exec', lan.ns('client'), 'wrk', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
	child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
	const exited = once(child, 'exit');
	return {
		label,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
			return parseWrk(label, output);
		},
	};
}
