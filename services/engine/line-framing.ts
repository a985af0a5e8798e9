// JSON messages one per line on a stream socket, with a bound on a line's length (a peer cannot make the reader
// buffer without end).
import type { Socket } from 'node:net';

export class LineTooLongError extends Error {
	override readonly name = 'LineTooLongError';
}

/** Calls `onLine` for each complete line; `onError` once if a line exceeds maxBytes (the socket is then destroyed). */
export function readLines(socket: Socket, maxBytes: number, onLine: (line: string) => void, onError: (error: Error) => void): void {
	let pending = '';
	socket.setEncoding('utf8');
	socket.on('data', (chunk: string) => {
		pending += chunk;
		for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
			const line = pending.slice(0, end);
			pending = pending.slice(end + 1);
			if (line.trim() !== '') onLine(line);
		}
		if (Buffer.byteLength(pending) > maxBytes) {
			onError(new LineTooLongError(`a message longer than ${maxBytes} bytes`));
			socket.destroy();
		}
	});
}

export function writeLine(socket: Socket, message: unknown): void {
	if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
}
