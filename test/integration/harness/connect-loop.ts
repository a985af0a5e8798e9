// Starts connect-loop.mjs in the client namespace: connections that keep coming while the balancer (re)starts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Lan } from './netns.js';

const script = fileURLToPath(new URL('./connect-loop.mjs', import.meta.url));

export interface ConnectCounts {
	readonly greetings: Record<string, number>;
	readonly refused: number;
	readonly dropped: number;
}

export interface ConnectLoop {
	/** Stops the clients; resolves to the greetings per server, the refused attempts and the connections closed unanswered. */
	stop(): Promise<ConnectCounts>;
}

export function startConnectLoop(lan: Lan, address: string, port: number, clients = 2, pauseMs = 10): ConnectLoop {
	const child = spawn('ip', ['netns', 'exec', lan.ns('client'), process.execPath, script, address, String(port), String(clients), String(pauseMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
	const exited = once(child, 'exit');
	return {
		async stop() {
			child.kill('SIGTERM');
			await exited;
			return JSON.parse(output) as ConnectCounts;
		},
	};
}
