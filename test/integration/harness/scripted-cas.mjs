// A fake Exchange CAS (plain HTTP/1.1) for what nginx cannot play: long polls, an Outlook Anywhere channel that
// stays idle, request bodies the client pauses, and an NTLM-style handshake checked against the server connection.
// The test drives each behaviour with request headers; every answer names the server and its connection
// (X-Backend, X-Server-Socket), and every event is one JSON line on stdout (the daemon's log).
//   node scripted-cas.mjs <host name> <port>
// Its own small HTTP/1.1 server on a TCP socket: Node's parser refuses Exchange's RPC_IN_DATA/RPC_OUT_DATA
// methods. Plain JavaScript so it starts in milliseconds inside a namespace.
import net from 'node:net';
import { randomBytes } from 'node:crypto';

const [host, port] = process.argv.slice(2);
const started = Date.now();
let connections = 0;
const log = (event, fields = {}) => process.stdout.write(`${JSON.stringify({ event, host, ms: Date.now() - started, ...fields })}\n`);
/** Like IIS: an idle kept-alive connection is closed after 120 s. */
const keepAliveMs = 120_000;

/** NTLM message type of an `Authorization: NTLM <base64>` value (1 negotiate, 3 authenticate), or 0. */
function ntlmType(authorization) {
	const match = /^NTLM ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
	if (match === null) return 0;
	const bytes = Buffer.from(match[1], 'base64');
	return bytes.subarray(0, 8).toString('latin1') === 'NTLMSSP\0' ? bytes[8] : 0;
}

/** An NTLM type-2 (challenge) message carrying `challenge` (8 bytes) at offset 24, as the real one does. */
function challengeMessage(challenge) {
	const message = Buffer.alloc(48);
	message.write('NTLMSSP\0', 0, 'latin1');
	message.writeUInt32LE(2, 8);
	message.writeUInt32LE(0x00088205, 20);
	challenge.copy(message, 24);
	return message.toString('base64');
}

function head(socket, status, headers) {
	const reason = { 200: 'OK', 401: 'Unauthorized' }[status] ?? 'Status';
	const lines = [`HTTP/1.1 ${status} ${reason}`, `X-Backend: ${host}`, `X-Server-Socket: ${socket.exlbId}`];
	for (const [name, value] of Object.entries(headers)) for (const one of [value].flat()) lines.push(`${name}: ${one}`);
	return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A whole answer: head and body. */
function reply(socket, status, body, headers = {}) {
	const text = Buffer.from(body);
	socket.write(head(socket, status, { 'Content-Type': 'text/plain', 'Content-Length': text.length, ...headers }));
	socket.write(text);
}

/**
 * NTLM binds the authentication to the connection: type 1 gets a challenge remembered on this socket, type 3 is
 * accepted only on the socket that got the challenge it answers (as IIS does).
 */
function ntlm(socket, request) {
	const authorization = request.headers.authorization;
	const type = ntlmType(authorization);
	if (type === 1) {
		socket.exlbChallenge = randomBytes(8);
		log('ntlm-challenge', { socket: socket.exlbId });
		return reply(socket, 401, `${host} challenge\n`, { 'WWW-Authenticate': `NTLM ${challengeMessage(socket.exlbChallenge)}` });
	}
	if (type === 3) {
		const answered = Buffer.from(authorization.slice(5), 'base64').subarray(12, 20);
		const same = socket.exlbChallenge !== undefined && answered.equals(socket.exlbChallenge);
		log('ntlm-authenticate', { socket: socket.exlbId, sameConnection: same });
		if (same) return reply(socket, 200, `${host} authenticated on connection ${socket.exlbId}\n`);
		return reply(socket, 401, `${host} type 3 on connection ${socket.exlbId}, which issued no such challenge\n`, { 'WWW-Authenticate': 'NTLM' });
	}
	return reply(socket, 401, `${host} authentication required\n`, { 'WWW-Authenticate': ['NTLM', 'Negotiate'] });
}

/** RPC_OUT_DATA: the head and a first PDU at once, then nothing for `idleMs`, then the rest; calls `done` after. */
function rpcOutData(socket, idleMs, done) {
	const first = Buffer.from(`${host} RPC_OUT_DATA first PDU\n`);
	const last = Buffer.from(`${host} RPC_OUT_DATA after ${idleMs} ms idle\n`);
	socket.write(head(socket, 200, { 'Content-Type': 'application/rpc', 'Content-Length': first.length + last.length }));
	socket.write(first);
	log('rpc-out-first', { socket: socket.exlbId });
	let finished = false;
	const timer = setTimeout(() => {
		socket.write(last);
		finished = true;
		log('rpc-out-last', { socket: socket.exlbId });
		done();
	}, idleMs);
	socket.once('close', () => {
		clearTimeout(timer);
		if (!finished) log('rpc-out-cut', { socket: socket.exlbId });
	});
}

/** Answers one whole request; calls `done` once the answer is written (later for a long poll or an idle channel). */
function handle(socket, request, done) {
	const { method, path, headers, body } = request;
	log('request', { method, path, received: body.length, socket: socket.exlbId });
	const idle = Number(headers['x-test-idle'] ?? 0);
	const delay = Number(headers['x-test-delay'] ?? 0);
	if (method === 'RPC_OUT_DATA' && idle > 0) {
		rpcOutData(socket, idle, done);
	} else if (delay > 0) {
		const timer = setTimeout(() => {
			reply(socket, 200, `${host} answered after ${delay} ms\n`);
			done();
		}, delay);
		socket.once('close', () => clearTimeout(timer));
	} else {
		if (path.endsWith('/healthcheck.htm')) reply(socket, 200, `200 OK ${host}\n`);
		else if (/^\/(ews|mapi)\//i.test(path) && headers['x-test-ntlm'] !== undefined) ntlm(socket, request);
		else reply(socket, 200, `${host} ${method} ${path} received ${body.length} bytes\n`);
		done();
	}
}

/** The request at the start of `buffer`: null until its head and whole body (Content-Length) are there. */
function parseRequest(buffer) {
	const end = buffer.indexOf('\r\n\r\n');
	if (end < 0) return null;
	const [requestLine, ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
	const [method, target] = requestLine.split(' ');
	const headers = {};
	for (const line of lines) {
		const colon = line.indexOf(':');
		headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	const length = Number(headers['content-length'] ?? 0);
	const request = { method, path: new URL(target, 'http://cas').pathname, headers, received: buffer.length - end - 4, length };
	if (buffer.length < end + 4 + length) return { ...request, complete: false };
	return { ...request, body: buffer.subarray(end + 4, end + 4 + length), rest: buffer.subarray(end + 4 + length), complete: true };
}

const server = net.createServer((socket) => {
	socket.exlbId = ++connections;
	let buffer = Buffer.alloc(0);
	let busy = false;
	const pump = () => {
		if (busy) return;
		const request = parseRequest(buffer);
		if (request === null || !request.complete) return;
		buffer = request.rest;
		busy = true;
		socket.setTimeout(0);
		handle(socket, request, () => {
			busy = false;
			socket.setTimeout(keepAliveMs);
			pump();
		});
	};
	socket.setTimeout(keepAliveMs, () => socket.end());
	socket.on('data', (chunk) => { buffer = Buffer.concat([buffer, chunk]); pump(); });
	socket.on('error', () => {});
	socket.on('close', () => {
		const pending = parseRequest(buffer);
		if (pending !== null && !pending.complete) log('request-cut', { method: pending.method, path: pending.path, received: pending.received, socket: socket.exlbId });
	});
});
server.listen(Number(port), '0.0.0.0', () => log('listening', { port: Number(port) }));
