// JSON messages one per line on a stream socket, with a bound on a line's length (a peer cannot make the reader
// buffer without end). A line may hand the rest of the connection over as a stream of bytes (a stream operation's
// body, services/engine/protocol.ts): from then on nothing is read as lines.
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';

export class LineTooLongError extends Error {
	override readonly name = 'LineTooLongError';
}

/** Decides, for a line, whether the bytes after it are a stream: returns what takes that stream, or undefined. */
export type TakeOver = (line: string) => ((rest: PassThrough) => void) | undefined;

const newline = 0x0a;

/**
 * Calls `onLine` for each complete line; `onError` once if a line exceeds maxBytes (the socket is then destroyed).
 * When `takeOver` claims a line, the bytes after it and everything the peer sends afterwards go to the stream it is
 * given (ended when the peer ends its side), with backpressure on the socket.
 */
export function readLines(socket: Socket, maxBytes: number, onLine: (line: string) => void, onError: (error: Error) => void, takeOver?: TakeOver): void {
	let pending: Buffer = Buffer.alloc(0);
	const onData = (chunk: Buffer) => {
		pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
		for (let end = pending.indexOf(newline); end >= 0; end = pending.indexOf(newline)) {
			// A newline byte never occurs inside a multi-byte UTF-8 character: each line decodes on its own.
			const line = pending.subarray(0, end).toString('utf8');
			pending = pending.subarray(end + 1);
			if (line.trim() === '') continue;
			const consumer = takeOver?.(line);
			if (consumer !== undefined) {
				socket.off('data', onData);
				const rest = new PassThrough();
				if (pending.length > 0) rest.write(pending);
				socket.pipe(rest);
				// A connection lost without its end (reset) must not leave the stream's reader waiting for ever.
				socket.once('close', () => {
					if (!rest.writableEnded) rest.destroy(new Error('the connection closed before the end of the stream'));
				});
				consumer(rest);
				return;
			}
			onLine(line);
		}
		if (pending.length > maxBytes) {
			onError(new LineTooLongError(`a message longer than ${maxBytes} bytes`));
			socket.destroy();
		}
	};
	socket.on('data', onData);
}

export function writeLine(socket: Socket, message: unknown): void {
	if (socket.writable) socket.write(`${JSON.stringify(message)}\n`);
}
