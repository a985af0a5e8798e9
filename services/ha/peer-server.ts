// The peer channel's server, in the engine (root: it holds the node's identity key, which never leaves it): HTTPS on
// the peer port, TLS 1.3 only, a client certificate required. Any certificate completes the handshake (pairing has
// to meet an unknown one); each route then decides who may call it (services/ha/ha-service.ts: the pinned peer only,
// except the pairing itself, which the one-time code guards). Bodies are read up to a bound and checked against the
// peer protocol's schemas before a handler runs; a refusal answers its status and {reason, message}, never a stack.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { TSchema } from '@sinclair/typebox';
import { compiledCheck } from '../schema-check.js';
import type { NodeIdentity } from './identity.js';
import { derToPem } from './identity.js';
import { maxPeerBodyBytes, PeerRefusal, peerRoutes, refusalStatus, type PeerRouteName, type RequestOf, type ResponseOf } from './peer-protocol.js';

/** Who called, as the TLS handshake showed it. */
export interface PeerCaller {
	readonly fingerprint: string;
	readonly certificatePem: string;
	/** The address the connection came from. */
	readonly address: string;
}

export type PeerHandlers = { readonly [N in PeerRouteName]: (body: RequestOf<N>, caller: PeerCaller) => Promise<ResponseOf<N>> };

export interface PeerServerOptions {
	readonly identity: NodeIdentity;
	readonly log: (line: string) => void;
}


/** The first schema error of `value` as a sentence, or null when it conforms. */
export function schemaProblem(schema: TSchema, value: unknown): string | null {
	const first = compiledCheck(schema).Errors(value).First();
	return first === undefined ? null : `${first.path || 'the body'}: ${first.message}`;
}

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > maxPeerBodyBytes) throw new PeerRefusal('malformed', `the request is larger than ${maxPeerBodyBytes} bytes`);
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function routeOf(method: string | undefined, url: string | undefined): PeerRouteName | null {
	const path = (url ?? '').split('?', 1)[0];
	const found = Object.entries(peerRoutes).find(([, route]) => route.method === method && route.path === path);
	return found === undefined ? null : (found[0] as PeerRouteName);
}

export class PeerServer {
	#server: https.Server | null = null;

	constructor(private readonly handlers: PeerHandlers, private readonly options: PeerServerOptions) {}

	/** Listens on `address`:`port` (port 0: any free one); resolves to the port. */
	async listen(port: number, address: string): Promise<number> {
		const { identity } = this.options;
		const server = https.createServer({
			key: identity.keyPem, cert: identity.certificatePem, minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false, handshakeTimeout: 10_000,
		}, (request, response) => void this.#answer(request, response));
		server.requestTimeout = 180_000;
		server.on('tlsClientError', () => {});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, address, () => resolve());
		});
		this.#server = server;
		return (server.address() as AddressInfo).port;
	}

	async close(): Promise<void> {
		const server = this.#server;
		this.#server = null;
		if (server === null) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	async #answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const send = (status: number, body: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
			response.end(JSON.stringify(body));
		};
		const address = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
		try {
			const name = routeOf(request.method, request.url);
			if (name === null) throw new PeerRefusal('malformed', `no peer route ${request.method} ${request.url}`);
			const certificate = (request.socket as TLSSocket).getPeerCertificate();
			if (certificate?.raw === undefined) throw new PeerRefusal('no-certificate', 'the peer channel needs the node\'s certificate (mutual TLS)');
			const caller: PeerCaller = { fingerprint: certificate.fingerprint256, certificatePem: derToPem(certificate.raw), address };
			const route = peerRoutes[name];
			const text = await readBody(request);
			let body: unknown = undefined;
			if (route.request !== null) {
				try {
					body = JSON.parse(text === '' ? '{}' : text);
				} catch {
					throw new PeerRefusal('malformed', 'the request body is not JSON');
				}
				const problem = schemaProblem(route.request, body);
				if (problem !== null) throw new PeerRefusal('malformed', `the ${name} request was refused: ${problem}`);
			}
			const handler = this.handlers[name] as (body: unknown, caller: PeerCaller) => Promise<unknown>;
			send(200, await handler(body, caller));
		} catch (error) {
			if (error instanceof PeerRefusal) {
				send(refusalStatus[error.reason], error.toBody());
				return;
			}
			this.options.log(`peer: ${request.method} ${request.url} from ${address} failed: ${(error as Error).stack ?? String(error)}`);
			send(500, { reason: 'failed', message: (error as Error).message });
		}
	}
}
