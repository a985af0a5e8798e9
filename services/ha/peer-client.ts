// The peer channel's client (the engine calling its peer). The TLS connection is made first, on its own, and the
// peer's certificate checked against the pinned one before a single byte of the request is written (the request may
// carry certificate keys): only then does HTTP run over that socket. A peer that cannot be reached, one that presents
// another certificate and one that refuses are three different errors, each saying what happened.
import http from 'node:http';
import tls, { type TLSSocket } from 'node:tls';
import { derToPem, fingerprintOf, type NodeIdentity } from './identity.js';
import { schemaProblem } from './peer-server.js';
import { PeerRefusal, peerRoutes, RefusalSchema, type PeerRouteName, type RequestOf, type ResponseOf } from './peer-protocol.js';

export interface PeerTarget {
	readonly address: string;
	readonly port: number;
	/** The certificate pinned at pairing; null only for the pairing request itself. */
	readonly certificate: string | null;
	/** The address to call from (the peer channel's own, when it listens on one), else the kernel's choice. */
	readonly localAddress?: string;
}

/** The peer could not be reached, or did not answer in time. */
export class PeerUnreachableError extends Error {
	override readonly name = 'PeerUnreachableError';
}

/** The peer presented another certificate than the pinned one: nothing was sent. */
export class PeerIdentityError extends Error {
	override readonly name = 'PeerIdentityError';
}

export interface CallOptions {
	/** Connection and TLS handshake (default 5 s). */
	readonly connectTimeoutMs?: number;
	/** The answer, once connected (default 10 s; a sync waits for the peer's apply). */
	readonly answerTimeoutMs?: number;
}

const maxAnswerBytes = 1024 * 1024;

function where(target: PeerTarget): string {
	return `${target.address}:${target.port}`;
}

/** A TLS connection to the peer whose certificate is the pinned one (or, unpinned, any), with the certificate it showed. */
function connect(target: PeerTarget, identity: NodeIdentity, timeoutMs: number): Promise<{ socket: TLSSocket; certificatePem: string }> {
	return new Promise((resolve, reject) => {
		const socket = tls.connect({
			host: target.address, port: target.port, key: identity.keyPem, cert: identity.certificatePem, minVersion: 'TLSv1.3', rejectUnauthorized: false,
			...(target.localAddress === undefined ? {} : { localAddress: target.localAddress }),
		});
		const fail = (error: Error) => {
			socket.destroy();
			reject(error);
		};
		const timer = setTimeout(() => fail(new PeerUnreachableError(`the peer at ${where(target)} did not complete a TLS handshake within ${timeoutMs / 1000} s`)), timeoutMs);
		socket.once('error', (error) => {
			clearTimeout(timer);
			fail(new PeerUnreachableError(`cannot reach the peer at ${where(target)}: ${error.message}`, { cause: error }));
		});
		socket.once('secureConnect', () => {
			clearTimeout(timer);
			const raw = socket.getPeerCertificate().raw;
			if (raw === undefined) return fail(new PeerIdentityError(`the peer at ${where(target)} presented no certificate`));
			const certificatePem = derToPem(raw);
			if (target.certificate !== null && fingerprintOf(certificatePem) !== fingerprintOf(target.certificate)) {
				return fail(new PeerIdentityError(`the node at ${where(target)} presented certificate ${fingerprintOf(certificatePem)}, not the one pinned at pairing (${fingerprintOf(target.certificate)}); nothing was sent`));
			}
			socket.removeAllListeners('error');
			resolve({ socket, certificatePem });
		});
	});
}

/**
 * Calls one route of the peer; resolves to its answer and the certificate it presented. `body` may be a function of
 * that certificate (the pairing proof covers the fingerprint the handshake showed), called once it is known.
 */
export async function callPeer<N extends PeerRouteName>(
	name: N, target: PeerTarget, identity: NodeIdentity, body: RequestOf<N> | ((certificatePem: string) => RequestOf<N>), options: CallOptions = {},
): Promise<{ answer: ResponseOf<N>; certificatePem: string }> {
	const route = peerRoutes[name];
	const { socket, certificatePem } = await connect(target, identity, options.connectTimeoutMs ?? 5000);
	const answerTimeoutMs = options.answerTimeoutMs ?? 10_000;
	const content = typeof body === 'function' ? body(certificatePem) : body;
	const payload = route.request === null ? undefined : JSON.stringify(content);
	const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
		const request = http.request({
			method: route.method, path: route.path, createConnection: () => socket,
			headers: { host: where(target), ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
		}, (response) => {
			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > maxAnswerBytes) request.destroy(new PeerUnreachableError(`the peer at ${where(target)} answered more than ${maxAnswerBytes} bytes`));
				else chunks.push(chunk);
			});
			response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
			response.on('error', reject);
		});
		request.setTimeout(answerTimeoutMs, () => request.destroy(new PeerUnreachableError(`the peer at ${where(target)} did not answer ${name} within ${answerTimeoutMs / 1000} s`)));
		request.on('error', (error) => reject(error instanceof PeerUnreachableError ? error : new PeerUnreachableError(`the peer at ${where(target)} broke off: ${error.message}`, { cause: error })));
		request.end(payload);
	}).finally(() => socket.destroy());
	let answer: unknown;
	try {
		answer = JSON.parse(text);
	} catch {
		throw new PeerRefusal('failed', `the peer at ${where(target)} answered ${status} with something else than JSON`);
	}
	if (status !== 200) {
		if (schemaProblem(RefusalSchema, answer) !== null) throw new PeerRefusal('failed', `the peer at ${where(target)} answered ${status}`);
		const refusal = answer as { reason: PeerRefusal['reason']; message: string; errors?: PeerRefusal['errors'] };
		throw new PeerRefusal(refusal.reason, refusal.message, refusal.errors);
	}
	const problem = schemaProblem(route.response, answer);
	if (problem !== null) throw new PeerRefusal('failed', `the peer at ${where(target)} answered ${name} with an unexpected body (${problem})`);
	return { answer: answer as ResponseOf<N>, certificatePem };
}
