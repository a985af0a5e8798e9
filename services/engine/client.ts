// The web server's side of the engine socket: one connection, requests matched to answers by id, a deadline per
// request, reconnect on the next call after the engine restarted. A stream operation (a firmware bundle) gets a
// connection of its own: the request line, the body, the end of our side, then the answer. A refusal comes back as
// an EngineProblem.
import net from 'node:net';
import type { Readable } from 'node:stream';
import { maxRequestBytes, streamOperations, type Actor, type EngineResponse, type OperationName, type ParamsOf, type Problem, type ResultOf, type StreamOperationName } from './protocol.js';
import { readLines, writeLine } from './line-framing.js';

export class EngineProblem extends Error {
	override readonly name = 'EngineProblem';
	constructor(readonly problem: Problem) {
		super(problem.message);
	}
}

export class EngineUnavailableError extends Error {
	override readonly name = 'EngineUnavailableError';
}

export interface EngineCaller {
	call<N extends OperationName>(op: N, params: ParamsOf<N>, actor: Actor): Promise<ResultOf<N>>;
	/**
	 * A stream operation with `body` as its body. Resolves or rejects with the engine's answer, which may come before
	 * the body ended (a refusal): `body` is then no longer read, and what is left of it is the caller's.
	 */
	stream<N extends StreamOperationName>(op: N, params: ParamsOf<N>, actor: Actor, body: Readable): Promise<ResultOf<N>>;
}

interface Pending {
	readonly resolve: (value: unknown) => void;
	readonly reject: (error: Error) => void;
	readonly timer: NodeJS.Timeout;
}

/** Applies may take a while under an emulated CPU (haproxy, stunnel and keepalived checks, reloads). */
const defaultTimeoutMs = 180_000;

export class EngineClient implements EngineCaller {
	#socket: net.Socket | null = null;
	#connecting: Promise<net.Socket> | null = null;
	#nextId = 1;
	readonly #pending = new Map<number, Pending>();

	constructor(private readonly socketPath: string, private readonly timeoutMs = defaultTimeoutMs) {}

	async call<N extends OperationName>(op: N, params: ParamsOf<N>, actor: Actor): Promise<ResultOf<N>> {
		// Its line would turn this shared connection into that operation's body.
		if (streamOperations.has(op)) throw new TypeError(`${op} is a stream operation: its body goes with stream()`);
		const socket = await this.#connect();
		const id = this.#nextId++;
		return new Promise<ResultOf<N>>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#pending.delete(id);
				reject(new EngineUnavailableError(`the engine did not answer ${op} within ${this.timeoutMs / 1000} s`));
			}, this.timeoutMs);
			this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
			writeLine(socket, { id, op, actor, params });
		});
	}

	close(): void {
		this.#socket?.destroy();
	}

	async stream<N extends StreamOperationName>(op: N, params: ParamsOf<N>, actor: Actor, body: Readable): Promise<ResultOf<N>> {
		const socket = await this.#open();
		return new Promise<ResultOf<N>>((resolve, reject) => {
			let settled = false;
			let timer: NodeJS.Timeout | undefined;
			const settle = (outcome: () => void) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				body.unpipe(socket);
				socket.end();
				outcome();
			};
			readLines(socket, maxRequestBytes, (line) => {
				const response = JSON.parse(line) as EngineResponse;
				settle(() => (response.ok ? resolve(response.result as ResultOf<N>) : reject(new EngineProblem(response.problem))));
			}, (error) => settle(() => reject(error)));
			socket.on('close', () => settle(() => reject(new EngineUnavailableError(`the engine closed the connection before answering ${op}`))));
			socket.on('error', () => {});
			// The body failing (an upload cut short) ends the engine's stream there: it answers that the bundle is truncated.
			body.once('error', () => socket.end());
			// Only once the whole body is sent does the engine's answer have a deadline.
			body.once('end', () => {
				if (settled) return;
				timer = setTimeout(() => settle(() => {
					socket.destroy();
					reject(new EngineUnavailableError(`the engine did not answer ${op} within ${this.timeoutMs / 1000} s of the end of its body`));
				}), this.timeoutMs);
			});
			socket.write(`${JSON.stringify({ id: 1, op, actor, params })}\n`);
			body.pipe(socket);
		});
	}

	/** A new connection (a stream operation's own). */
	#open(): Promise<net.Socket> {
		return new Promise<net.Socket>((resolve, reject) => {
			const socket = net.connect(this.socketPath);
			socket.once('connect', () => resolve(socket));
			socket.once('error', (error) => reject(new EngineUnavailableError(`cannot reach the engine at ${this.socketPath}: ${error.message}`, { cause: error })));
		});
	}

	async #connect(): Promise<net.Socket> {
		if (this.#socket !== null && !this.#socket.destroyed) return this.#socket;
		this.#connecting ??= new Promise<net.Socket>((resolve, reject) => {
			const socket = net.connect(this.socketPath);
			socket.once('connect', () => {
				this.#socket = socket;
				this.#connecting = null;
				resolve(socket);
			});
			socket.once('error', (error) => {
				this.#connecting = null;
				reject(new EngineUnavailableError(`cannot reach the engine at ${this.socketPath}: ${error.message}`, { cause: error }));
			});
			socket.on('close', () => this.#failAll(new EngineUnavailableError('the engine closed the connection')));
			readLines(socket, maxRequestBytes * 4, (line) => this.#settle(line), (error) => this.#failAll(error));
		});
		return this.#connecting;
	}

	#settle(line: string): void {
		const response = JSON.parse(line) as EngineResponse;
		const pending = this.#pending.get(response.id);
		if (pending === undefined) return;
		this.#pending.delete(response.id);
		clearTimeout(pending.timer);
		if (response.ok) pending.resolve(response.result);
		else pending.reject(new EngineProblem(response.problem));
	}

	#failAll(error: Error): void {
		if (this.#socket?.destroyed) this.#socket = null;
		for (const [id, pending] of this.#pending) {
			clearTimeout(pending.timer);
			pending.reject(error);
			this.#pending.delete(id);
		}
	}
}
