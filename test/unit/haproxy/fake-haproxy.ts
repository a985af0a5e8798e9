// A stand-in for haproxy's runtime socket in unit tests: a unix socket that records each command line and answers
// it like haproxy's non-interactive mode (the answer, then the connection closed).
import net from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FakeHaproxy {
	readonly path: string;
	/** Every line received, in order. */
	readonly commands: string[];
	/** Connections accepted so far. */
	readonly connections: () => number;
	/** The most connections open at the same time. */
	readonly maxConcurrent: () => number;
	close(): Promise<void>;
}

/** `answer` returns the text for a command, or null to never answer (a hung haproxy). */
export async function fakeHaproxy(answer: (command: string) => string | null): Promise<FakeHaproxy> {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-fake-haproxy-'));
	const socketPath = path.join(dir, 'haproxy.sock');
	const commands: string[] = [];
	let connections = 0;
	let open = 0;
	let maxConcurrent = 0;
	const sockets = new Set<net.Socket>();
	const server = net.createServer({ allowHalfOpen: true }, (socket) => {
		connections++;
		open++;
		maxConcurrent = Math.max(maxConcurrent, open);
		sockets.add(socket);
		let input = '';
		socket.on('close', () => { open--; sockets.delete(socket); });
		socket.on('error', () => {});
		socket.on('data', (chunk) => {
			input += chunk.toString();
			const newline = input.indexOf('\n');
			if (newline < 0) return;
			const command = input.slice(0, newline);
			commands.push(command);
			const text = answer(command);
			// An answer arrives a little later, so overlapping commands would overlap here too.
			if (text !== null) setTimeout(() => socket.end(text), 5);
		});
	});
	await new Promise<void>((resolve) => server.listen(socketPath, resolve));
	return {
		path: socketPath,
		commands,
		connections: () => connections,
		maxConcurrent: () => maxConcurrent,
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await rm(dir, { recursive: true, force: true });
		},
	};
}

const fixtureDir = fileURLToPath(new URL('../../fixtures/haproxy/', import.meta.url));

/** A runtime API answer captured from the image's haproxy (test/fixtures/haproxy/capture.ts). */
export function fixture(name: string): Promise<string> {
	return readFile(path.join(fixtureDir, name), 'utf8');
}
