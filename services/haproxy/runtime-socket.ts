// A typed client for haproxy's runtime API on a unix socket (a worker's stats socket, or the master CLI):
// one command per connection and one connection in flight per client, a deadline per command, typed errors.
// The API runs `;`-separated chains and reads a line per command, so a command is only ever composed from words
// that passed wordPattern (no blank, `;`, quote, backslash or line break can reach the socket).
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** Deadline of one command, from connecting to the end of the answer. */
export const defaultCommandTimeoutMs = 5000;
/** Answers longer than this are refused (a `show stat` of the largest config is about 60 KiB). */
const maxAnswerBytes = 16 * 1024 * 1024;
/** Pause between connection attempts while the socket refuses (the master re-executes itself on reload). */
const retryIntervalMs = 50;
/**
 * How long a refusing master CLI is retried: it closes its socket while it re-executes itself for a reload. A worker's
 * stats socket is never retried: it is handed from worker to worker, and a socket file left by a stopped haproxy
 * (haproxy does not remove it) must read as "not running" at once.
 */
const masterRefusalMs = 2000;

export class HaproxySocketError extends Error {
	override name = 'HaproxySocketError';
	constructor(readonly socket: string, message: string, options?: { cause?: unknown }) {
		super(message, options);
	}
}

/** Nothing listens on the socket: haproxy is not running (a state of its own, not "every server is down"). */
export class HaproxyNotRunningError extends HaproxySocketError {
	override name = 'HaproxyNotRunningError';
}

/** haproxy did not answer within the command's deadline. */
export class HaproxyTimeoutError extends HaproxySocketError {
	override name = 'HaproxyTimeoutError';
}

/** haproxy answered, but with an error ("No such server.", "Permission denied", "Unknown command ..."). */
export class HaproxyCommandError extends HaproxySocketError {
	override name = 'HaproxyCommandError';
	constructor(socket: string, readonly command: string, readonly answer: string, options?: { cause?: unknown }) {
		super(socket, `haproxy refused "${command}" on ${socket}: ${answer.trim().split('\n')[0] || '(empty answer)'}`, options);
	}
}

/** A name or word refused before anything was written to a socket. */
export class RuntimeNameError extends RangeError {
	override name = 'RuntimeNameError';
}

/** A backend or server name as the renderer writes them (be_owa, cas1, hub2, be_rpc_epm). */
export const namePattern = /^[a-z0-9_]{1,32}$/;
/** Every word of a command: names, keywords and small numbers; never a separator of the CLI's grammar. */
const wordPattern = /^[A-Za-z0-9_./@!-]{1,64}$/;

declare const commandBrand: unique symbol;
/** A command line built by runtimeCommand() from checked words only. */
export type RuntimeCommand = string & { readonly [commandBrand]: true };

/** A backend or server name, checked against the renderer's naming. */
export function checkName(what: 'backend' | 'server', name: string): string {
	if (!namePattern.test(name)) throw new RuntimeNameError(`${what} name ${JSON.stringify(name)} is not a name haproxy.cfg uses (${namePattern})`);
	return name;
}

/** The one way to build a command: every word checked, joined by single spaces. */
export function runtimeCommand(...words: readonly string[]): RuntimeCommand {
	if (words.length === 0) throw new RuntimeNameError('an empty command');
	for (const word of words) {
		if (!wordPattern.test(word)) throw new RuntimeNameError(`${JSON.stringify(word)} cannot be a word of a haproxy command (${wordPattern})`);
	}
	return words.join(' ') as RuntimeCommand;
}

/** The worker a master CLI command goes to: the current worker ("@1"), or one process by its pid (old workers). */
export type WorkerTarget = 'current' | { readonly pid: number };

/** `@1 <command>` / `@!<pid> <command>`: a command the master CLI passes to one worker. */
export function toWorker(target: WorkerTarget, command: RuntimeCommand): RuntimeCommand {
	if (target === 'current') return `@1 ${command}` as RuntimeCommand;
	if (!Number.isSafeInteger(target.pid) || target.pid <= 0) throw new RuntimeNameError(`${target.pid} is not a process id`);
	return `@!${target.pid} ${command}` as RuntimeCommand;
}

export interface RuntimeSocketOptions {
	readonly timeoutMs?: number;
	/** Keep trying this long while the socket refuses connections (default 0: refused = not running). */
	readonly retryRefusedMs?: number;
}

/**
 * A client for one socket. Commands are queued: one connection at a time, each carrying one command, which haproxy
 * answers and then closes (its non-interactive mode).
 */
export class RuntimeSocket {
	readonly #timeoutMs: number;
	readonly #retryRefusedMs: number;
	#queue: Promise<unknown> = Promise.resolve();

	constructor(readonly path: string, options: RuntimeSocketOptions = {}) {
		this.#timeoutMs = options.timeoutMs ?? defaultCommandTimeoutMs;
		this.#retryRefusedMs = options.retryRefusedMs ?? 0;
	}

	/** Sends one command and resolves to haproxy's whole answer. */
	run(command: RuntimeCommand): Promise<string> {
		const result = this.#queue.then(() => this.#exchange(command));
		this.#queue = result.catch(() => undefined);
		return result;
	}

	/** Runs a command whose success is an empty answer (set, shutdown); anything else is a HaproxyCommandError. */
	async act(command: RuntimeCommand): Promise<void> {
		const answer = await this.run(command);
		if (answer.trim() !== '') throw new HaproxyCommandError(this.path, command, answer);
	}

	async #exchange(command: RuntimeCommand): Promise<string> {
		const deadline = Date.now() + this.#timeoutMs;
		const retryUntil = Math.min(deadline, Date.now() + this.#retryRefusedMs);
		for (;;) {
			try {
				return await this.#once(command, deadline);
			} catch (error) {
				// A refused connection: haproxy is gone (a stale socket file) or its master is re-executing for a reload.
				const refused = (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
				if (!refused || Date.now() + retryIntervalMs >= retryUntil) throw this.#typed(error, command);
				await delay(retryIntervalMs);
			}
		}
	}

	#once(command: RuntimeCommand, deadline: number): Promise<string> {
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			let size = 0;
			const connection = net.createConnection(this.path);
			const timer = setTimeout(() => {
				connection.destroy();
				reject(new HaproxyTimeoutError(this.path, `no answer from ${this.path} to "${command}" within ${this.#timeoutMs} ms`));
			}, Math.max(1, deadline - Date.now()));
			const fail = (error: Error) => {
				clearTimeout(timer);
				reject(error);
			};
			// haproxy answers once the line is complete; the half-close also ends the master CLI's session.
			connection.on('connect', () => connection.end(`${command}\n`));
			connection.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > maxAnswerBytes) {
					connection.destroy();
					fail(new HaproxySocketError(this.path, `the answer to "${command}" on ${this.path} is larger than ${maxAnswerBytes} bytes`));
				} else chunks.push(chunk);
			});
			connection.on('end', () => {
				clearTimeout(timer);
				resolve(Buffer.concat(chunks).toString('utf8'));
			});
			connection.on('error', fail);
		});
	}

	#typed(error: unknown, command: RuntimeCommand): Error {
		if (error instanceof HaproxySocketError) return error;
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ECONNREFUSED') {
			return new HaproxyNotRunningError(this.path, `haproxy is not running: nothing listens on ${this.path} (${code})`, { cause: error });
		}
		return new HaproxySocketError(this.path, `"${command}" on ${this.path} failed: ${(error as Error).message}`, { cause: error });
	}
}

/** haproxy's master CLI (RenderEnv.haproxyMasterSocket): retried through the moment a reload closes it. */
export function masterCli(path: string): RuntimeSocket {
	return new RuntimeSocket(path, { retryRefusedMs: masterRefusalMs });
}
