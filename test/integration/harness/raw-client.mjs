// A scripted HTTPS client on ONE TLS connection, for what curl cannot do: pause inside a request body, time the
// parts of a long answer, send the next request of an NTLM-style handshake on the same connection.
//   node raw-client.mjs '<script JSON>'    → one JSON result on stdout
// script: { host, port, servername, steps: [step...] } where a step is
//   { send: "raw text" }             written as is ("{ntlm-authenticate}" becomes a type-3 message answering the last NTLM challenge)
//   { pause: ms }
//   { read: "label" }                waits for one whole response (Content-Length, chunked, or until close)
// result: { responses: [{ label, status, headers, body, headAtMs, doneAtMs }], error, closedAtMs, elapsedMs }
// Plain JavaScript so it starts in milliseconds inside a namespace.
import tls from 'node:tls';

const script = JSON.parse(process.argv[2]);
const started = Date.now();
const now = () => Date.now() - started;
const result = { responses: [], error: null, closedAtMs: null, elapsedMs: 0 };
let buffer = Buffer.alloc(0);
let closed = false;
let wake = () => {};

const socket = tls.connect({ host: script.host, port: script.port, servername: script.servername, rejectUnauthorized: false });
socket.on('data', (chunk) => { buffer = Buffer.concat([buffer, chunk]); wake(); });
socket.on('error', (error) => { result.error ??= error.message; });
socket.on('close', () => { closed = true; result.closedAtMs = now(); wake(); });

/** Resolves when more data arrived or the connection closed. */
const more = () => new Promise((resolve) => { wake = resolve; });

async function readHead() {
	for (;;) {
		const end = buffer.indexOf('\r\n\r\n');
		if (end >= 0) {
			const [statusLine, ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
			buffer = buffer.subarray(end + 4);
			const headers = {};
			for (const line of lines) {
				const colon = line.indexOf(':');
				const name = line.slice(0, colon).trim().toLowerCase();
				const value = line.slice(colon + 1).trim();
				headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
			}
			return { status: Number(/^HTTP\/\d\.\d (\d{3})/.exec(statusLine)?.[1] ?? NaN), headers };
		}
		if (closed) throw new Error(`connection closed before a response head (${buffer.length} bytes received)`);
		await more();
	}
}

async function readBytes(count) {
	while (buffer.length < count) {
		if (closed) throw new Error(`connection closed after ${buffer.length} of ${count} body bytes`);
		await more();
	}
	const bytes = buffer.subarray(0, count);
	buffer = buffer.subarray(count);
	return bytes;
}

async function readLine() {
	for (;;) {
		const end = buffer.indexOf('\r\n');
		if (end >= 0) return (await readBytes(end + 2)).toString('latin1').trim();
		if (closed) throw new Error('connection closed inside a chunk header');
		await more();
	}
}

async function readBody(headers) {
	if (headers['transfer-encoding']?.includes('chunked')) {
		const parts = [];
		for (let size = parseInt(await readLine(), 16); size > 0; size = parseInt(await readLine(), 16)) {
			parts.push(await readBytes(size));
			await readBytes(2);
		}
		await readLine();
		return Buffer.concat(parts);
	}
	if (headers['content-length'] !== undefined) return readBytes(Number(headers['content-length']));
	while (!closed) await more();
	const rest = buffer;
	buffer = Buffer.alloc(0);
	return rest;
}

function lastChallenge() {
	for (const response of [...result.responses].reverse()) {
		const match = /NTLM ([A-Za-z0-9+/=]+)/.exec(response.headers['www-authenticate'] ?? '');
		if (match) return Buffer.from(match[1], 'base64').subarray(24, 32);
	}
	throw new Error('no NTLM challenge received yet');
}

/** An NTLM-style type-3 message answering `challenge` (the fake CAS reads the challenge at offset 12). */
function authenticateMessage(challenge) {
	const message = Buffer.alloc(20);
	message.write('NTLMSSP\0', 0, 'latin1');
	message.writeUInt32LE(3, 8);
	challenge.copy(message, 12);
	return message.toString('base64');
}

try {
	await new Promise((resolve, reject) => { socket.once('secureConnect', resolve); socket.once('error', reject); });
	for (const step of script.steps) {
		if (step.send !== undefined) {
			socket.write(step.send.includes("{ntlm-authenticate}") ? step.send.replace("{ntlm-authenticate}", authenticateMessage(lastChallenge())) : step.send);
		} else if (step.pause !== undefined) {
			await new Promise((resolve) => setTimeout(resolve, step.pause));
		} else if (step.read !== undefined) {
			const head = await readHead();
			const headAtMs = now();
			const body = (await readBody(head.headers)).toString('utf8');
			result.responses.push({ label: step.read, ...head, body, headAtMs, doneAtMs: now() });
		}
	}
} catch (error) {
	result.error ??= error.message;
}
result.elapsedMs = now();
socket.destroy();
process.stdout.write(`${JSON.stringify(result)}\n`);
