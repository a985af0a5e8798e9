// A syslog receiver for the tests (there is no journald on the build host): every message received over UDP,
// or over TCP (RFC 6587 octet counting, or one message per line), is appended to a file as one line.
//   node syslog-receiver.mjs <udp|tcp> <address> <port> <file>
// Prints "listening" once bound. Plain JavaScript so it starts in milliseconds inside a namespace.
import dgram from 'node:dgram';
import net from 'node:net';
import { openSync, writeSync } from 'node:fs';

const [protocol, address, port, file] = process.argv.slice(2);
const out = openSync(file, 'a');
const keep = (message) => writeSync(out, `${message.replace(/[\r\n]+$/, '').replace(/\n/g, '\\n')}\n`);
const ready = () => process.stdout.write('listening\n');

/** Splits a TCP stream into messages; returns what is left over for the next chunk. */
function frames(text, emit) {
	let rest = text;
	for (;;) {
		const counted = /^(\d+) /.exec(rest);
		if (counted) {
			const length = Number(counted[1]);
			const start = counted[0].length;
			if (Buffer.byteLength(rest.slice(start)) < length) return rest;
			const body = Buffer.from(rest.slice(start)).subarray(0, length).toString('utf8');
			emit(body);
			rest = rest.slice(start + body.length);
			continue;
		}
		const end = rest.indexOf('\n');
		if (end < 0) return rest;
		emit(rest.slice(0, end));
		rest = rest.slice(end + 1);
	}
}

if (protocol === 'udp') {
	const socket = dgram.createSocket('udp4');
	socket.on('message', (message) => keep(message.toString('utf8')));
	socket.bind(Number(port), address, ready);
} else {
	net.createServer((connection) => {
		let pending = '';
		connection.setEncoding('utf8');
		connection.on('data', (chunk) => { pending = frames(pending + chunk, keep); });
		connection.on('error', () => {});
	}).listen(Number(port), address, ready);
}
