// The engine's socket server: accepts connections only from allowed users (peer credentials), reads one request
// per line, checks the operation name, the actor and the parameters against the protocol's schemas, runs the
// handler and answers with its result or a problem. Changes run in order of arrival, one at a time: a change
// never interleaves with another (two PATCHes: the second waits, then sees the first's result); reads run at once.
// A stream operation (a firmware bundle) has the rest of its connection as its body and runs at once too (it keeps
// itself to one at a time); its answer may come before the body ends, and the rest is then read and dropped.
import { chmod, chown, mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { PassThrough, Readable } from 'node:stream';
import { compiledCheck } from '../schema-check.js';
import type { TSchema } from '@sinclair/typebox';
import { ApplianceProblem, problemOf } from '../appliance/problems.js';
import { peerCredentials, type PeerCredentials } from '../os/peer-credentials.js';
import {
	ActorSchema, maxRequestBytes, operations, readOnlyOperations, streamOperations,
	type Actor, type BodyArgs, type EngineRequest, type EngineResponse, type FieldError, type OperationName, type ParamsOf, type ResultOf,
} from './protocol.js';
import { readLines, writeLine } from './line-framing.js';

export type Handlers = { readonly [N in OperationName]: (params: ParamsOf<N>, actor: Actor, ...body: BodyArgs<N>) => Promise<ResultOf<N>> };

export interface EngineServerOptions {
	readonly socketPath: string;
	/** Users allowed to connect (root is always allowed). */
	readonly allowedUids: readonly number[];
	/** Group owning the socket (the web server's), or null to leave it to the creating user. */
	readonly socketGid: number | null;
	readonly log: (line: string) => void;
	/** How a peer is identified (tests may substitute nothing here; the appliance uses the kernel's answer). */
	readonly identify?: (socket: net.Socket) => Promise<PeerCredentials>;
}


/** JSON pointer (/patch/http/mode) → the dotted path users read (patch.http.mode). */
const dotted = (pointer: string) => pointer.replace(/^\//, '').replace(/\//g, '.');

export function schemaErrors(schema: TSchema, value: unknown, prefix: string): FieldError[] {
	const check = compiledCheck(schema);
	if (check.Check(value)) return [];
	return [...check.Errors(value)].slice(0, 20).map((error) => ({ path: [prefix, dotted(error.path)].filter(Boolean).join('.'), message: error.message }));
}

function parseRequest(line: string): EngineRequest {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch (error) {
		throw new ApplianceProblem('invalid', 'the request is not JSON', [], { cause: error });
	}
	if (typeof value !== 'object' || value === null || typeof (value as EngineRequest).id !== 'number') {
		throw new ApplianceProblem('invalid', 'the request is not an object with a numeric id');
	}
	return value as EngineRequest;
}

/** The operation a request line names, for scheduling only (the request is checked properly when it runs). */
function operationOf(line: string): OperationName {
	try {
		return (JSON.parse(line) as { op?: OperationName }).op ?? ('' as OperationName);
	} catch {
		return '' as OperationName;
	}
}

export class EngineServer {
	readonly #server: net.Server;
	#queue: Promise<void> = Promise.resolve();

	constructor(private readonly handlers: Handlers, private readonly options: EngineServerOptions) {
		// Half-open: a stream operation's client ends its side after the body, then reads the answer.
		this.#server = net.createServer({ allowHalfOpen: true }, (socket) => void this.#accept(socket));
	}

	async listen(): Promise<void> {
		const { socketPath, socketGid } = this.options;
		await mkdir(path.dirname(socketPath), { recursive: true });
		await rm(socketPath, { force: true });
		await new Promise<void>((resolve, reject) => {
			this.#server.once('error', reject);
			this.#server.listen(socketPath, () => resolve());
		});
		// Root and the web server's group only; the peer check below is the second gate.
		if (socketGid !== null) await chown(socketPath, 0, socketGid);
		await chmod(socketPath, 0o660);
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
		await rm(this.options.socketPath, { force: true });
	}

	async #accept(socket: net.Socket): Promise<void> {
		socket.on('error', () => socket.destroy());
		let peer: PeerCredentials;
		try {
			peer = await (this.options.identify ?? peerCredentials)(socket);
		} catch (error) {
			this.options.log(`engine: refused a connection whose peer is unknown: ${(error as Error).message}`);
			socket.destroy();
			return;
		}
		if (peer.uid !== 0 && !this.options.allowedUids.includes(peer.uid)) {
			this.options.log(`engine: refused a connection from uid ${peer.uid} (pid ${peer.pid})`);
			socket.destroy();
			return;
		}
		// A connection of requests lines ends when its client's side does.
		const endWithPeer = () => socket.end();
		socket.on('end', endWithPeer);
		readLines(socket, maxRequestBytes, (line) => {
			if (readOnlyOperations.has(operationOf(line))) {
				void this.#answer(socket, line);
				return;
			}
			// Chained: each change starts when the previous one (from any connection) has finished.
			this.#queue = this.#queue.then(() => this.#answer(socket, line));
		}, (error) => this.options.log(`engine: ${error.message} from pid ${peer.pid}`), (line) => {
			if (!streamOperations.has(operationOf(line))) return undefined;
			socket.off('end', endWithPeer);
			return (body) => void this.#answerStream(socket, line, body);
		});
	}

	async #answer(socket: net.Socket, line: string, body?: Readable): Promise<void> {
		let id = 0;
		let response: EngineResponse;
		try {
			const request = parseRequest(line);
			id = request.id;
			response = { id, ok: true, result: await this.#run(request, body) };
		} catch (error) {
			const problem = problemOf(error);
			if (problem.kind === 'failed') this.options.log(`engine: request ${id} failed: ${(error as Error).stack ?? String(error)}`);
			response = { id, ok: false, problem };
		}
		writeLine(socket, response);
	}

	/** A stream operation: answered once its handler is done; whatever of the body is left is read and dropped until the client ends. */
	async #answerStream(socket: net.Socket, line: string, body: PassThrough): Promise<void> {
		await this.#answer(socket, line, body);
		socket.unpipe(body);
		body.destroy();
		socket.on('data', () => {});
		socket.resume();
		socket.end();
	}

	async #run(request: EngineRequest, body?: Readable): Promise<unknown> {
		if (!Object.hasOwn(operations, request.op)) throw new ApplianceProblem('invalid', `unknown operation ${JSON.stringify(request.op)}`);
		const name = request.op as OperationName;
		const definition = operations[name];
		const errors = [...schemaErrors(ActorSchema, request.actor, 'actor'), ...schemaErrors(definition.params, request.params, '')];
		if (errors.length > 0) throw new ApplianceProblem('invalid', `the ${name} request was refused`, errors);
		const handler = this.handlers[name] as (params: unknown, actor: Actor, body: Readable | undefined) => Promise<unknown>;
		return handler(request.params, request.actor as Actor, body);
	}
}
