// QMP, QEMU's machine protocol, on a guest's unix socket: one connection per command (the greeting, capabilities
// negotiation, then the command and its answer). Used by the boot tests to pull a cable (set_link), pause a guest
// (stop/cont) or power it off (quit) at a chosen moment.
import { createConnection } from 'node:net';

export class QmpError extends Error {
	override readonly name = 'QmpError';
}

/** Runs one QMP command; resolves with its `return` value, rejects with its `error` (class and description). */
export async function qmpCommand(socketPath: string, execute: string, args?: Record<string, unknown>, timeoutMs = 10_000): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const socket = createConnection(socketPath);
		let buffer = '';
		let negotiated = false;
		let settled = false;
		const finish = (error: Error | undefined, value?: unknown) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			if (error === undefined) resolve(value);
			else reject(error);
		};
		const timer = setTimeout(() => finish(new QmpError(`QMP ${execute} on ${socketPath}: no answer within ${timeoutMs} ms`)), timeoutMs);
		const send = (message: object) => socket.write(`${JSON.stringify(message)}\n`);
		socket.on('error', (error) => finish(new QmpError(`QMP ${execute} on ${socketPath}: ${error.message}`, { cause: error })));
		// quit: QEMU may close the socket before its answer arrives; the command was taken all the same.
		socket.on('close', () => finish(negotiated && execute === 'quit' ? undefined : new QmpError(`QMP ${execute} on ${socketPath}: closed before the answer`)));
		socket.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('utf8');
			for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
				const line = buffer.slice(0, newline).trim();
				buffer = buffer.slice(newline + 1);
				if (line === '') continue;
				const message = JSON.parse(line) as { QMP?: unknown; event?: string; return?: unknown; error?: { class: string; desc: string } };
				if (message.event !== undefined) continue;
				if (message.QMP !== undefined) send({ execute: 'qmp_capabilities' });
				else if (message.error !== undefined) finish(new QmpError(`QMP ${execute}: ${message.error.class}: ${message.error.desc}`));
				else if (!negotiated) {
					negotiated = true;
					send({ execute, ...(args === undefined ? {} : { arguments: args }) });
				} else finish(undefined, message.return);
			}
		});
	});
}
