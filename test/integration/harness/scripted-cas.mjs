// A fake Exchange CAS (plain HTTP) for what nginx cannot play: long polls, an Outlook Anywhere channel that stays
// idle, request bodies the client pauses, and an NTLM-style handshake checked against the server connection.
// The test drives each behaviour with request headers; every answer names the server and its connection
// (X-Backend, X-Server-Socket), and every event is one JSON line on stdout (the daemon's log).
//   node scripted-cas.mjs <host name> <port>
// Plain JavaScript so it starts in milliseconds inside a namespace.
import http from 'node:http';
import { randomBytes } from 'node:crypto';

const [host, port] = process.argv.slice(2);
const started = Date.now();
let connections = 0;
const log = (event, fields = {}) => process.stdout.write(`${JSON.stringify({ event, host, ms: Date.now() - started, ...fields })}\n`);

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

function reply(req, res, status, body, headers = {}) {
	const text = Buffer.from(body);
	res.writeHead(status, {
		'Content-Type': 'text/plain',
		'Content-Length': String(text.length),
		'X-Backend': host,
		'X-Server-Socket': String(req.socket.exlbId),
		...headers,
	});
	res.end(text);
}

/**
 * NTLM binds the authentication to the connection: type 1 gets a challenge remembered on this socket, type 3 is
 * accepted only on the socket that got the challenge it answers (as IIS does).
 */
function ntlm(req, res) {
	const type = ntlmType(req.headers.authorization);
	const socket = req.socket;
	if (type === 1) {
		socket.exlbChallenge = randomBytes(8);
		log('ntlm-challenge', { socket: socket.exlbId });
		return reply(req, res, 401, `${host} challenge\n`, { 'WWW-Authenticate': `NTLM ${challengeMessage(socket.exlbChallenge)}` });
	}
	if (type === 3) {
		const answered = Buffer.from(req.headers.authorization.slice(5), 'base64').subarray(12, 20);
		const same = socket.exlbChallenge !== undefined && answered.equals(socket.exlbChallenge);
		log('ntlm-authenticate', { socket: socket.exlbId, sameConnection: same });
		if (same) return reply(req, res, 200, `${host} authenticated on connection ${socket.exlbId}\n`);
		return reply(req, res, 401, `${host} type 3 on connection ${socket.exlbId}, which issued no such challenge\n`, { 'WWW-Authenticate': 'NTLM' });
	}
	res.setHeader('WWW-Authenticate', ['NTLM', 'Negotiate']);
	return reply(req, res, 401, `${host} authentication required\n`);
}

/** RPC_OUT_DATA: the header and a first PDU at once, then nothing for X-Test-Idle ms, then the rest. */
function rpcOutData(req, res, idleMs) {
	const first = Buffer.from(`${host} RPC_OUT_DATA first PDU\n`);
	const last = Buffer.from(`${host} RPC_OUT_DATA after ${idleMs} ms idle\n`);
	res.writeHead(200, { 'Content-Type': 'application/rpc', 'Content-Length': String(first.length + last.length), 'X-Backend': host, 'X-Server-Socket': String(req.socket.exlbId) });
	res.write(first);
	log('rpc-out-first', { socket: req.socket.exlbId });
	const timer = setTimeout(() => {
		res.end(last);
		log('rpc-out-last', { socket: req.socket.exlbId });
	}, idleMs);
	res.on('close', () => {
		clearTimeout(timer);
		if (!res.writableFinished) log('rpc-out-cut', { socket: req.socket.exlbId });
	});
}

function handle(req, res) {
	const url = new URL(req.url, 'http://cas');
	let received = 0;
	req.on('data', (chunk) => { received += chunk.length; });
	req.on('aborted', () => log('request-cut', { method: req.method, path: url.pathname, received, socket: req.socket.exlbId }));
	req.on('end', () => {
		log('request', { method: req.method, path: url.pathname, received, socket: req.socket.exlbId });
		if (url.pathname.endsWith('/healthcheck.htm')) return reply(req, res, 200, `200 OK ${host}\n`);
		const idle = Number(req.headers['x-test-idle'] ?? 0);
		if (req.method === 'RPC_OUT_DATA' && idle > 0) return rpcOutData(req, res, idle);
		const delay = Number(req.headers['x-test-delay'] ?? 0);
		if (delay > 0) {
			const timer = setTimeout(() => reply(req, res, 200, `${host} answered after ${delay} ms\n`), delay);
			res.on('close', () => clearTimeout(timer));
			return undefined;
		}
		if (/^\/(ews|mapi)\//i.test(url.pathname) && req.headers['x-test-ntlm'] !== undefined) return ntlm(req, res);
		return reply(req, res, 200, `${host} ${req.method} ${url.pathname} received ${received} bytes\n`);
	});
}

const server = http.createServer(handle);
// IIS keeps an idle connection 120 s; Node would otherwise cut a request body or a long answer after 300 s.
server.keepAliveTimeout = 120_000;
server.requestTimeout = 0;
server.headersTimeout = 60_000;
server.on('connection', (socket) => {
	socket.exlbId = ++connections;
	socket.on('error', () => {});
});
server.listen(Number(port), '0.0.0.0', () => log('listening', { port: Number(port) }));
