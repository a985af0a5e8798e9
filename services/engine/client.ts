// The web server's side of the engine socket: one connection, requests matched to answers by id, a deadline per
// request, reconnect on the next call after the engine restarted. A refusal comes back as an EngineProblem.
import net from 'node:net';
import { maxRequestBytes, type Actor, type EngineResponse, type OperationName, type ParamsOf, type Problem, type ResultOf } from './protocol.js';
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
