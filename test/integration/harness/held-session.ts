// A long-lived TCP session through the balancer (an Outlook/IMAP client that stays connected): socat in the client
// namespace, kept open until the test closes it, so a drain has a session to wait for.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Lan } from './netns.js';
import { StopWaiting, waitFor } from '../../../services/apply/wait.js';

export interface HeldSession {
	/** The server's first line ("* OK cas1 ready"). */
	readonly greeting: string;
	/** Everything the server sent so far. */
	received(): string;
	/** Sends a line and waits until the answer contains `expect`. */
	exchange(line: string, expect: string, timeoutMs?: number): Promise<void>;
	/** Whether the connection is still open (socat exits when the balancer or the server closes it). */
	readonly open: boolean;
	close(): Promise<void>;
}

export async function holdTcpSession(lan: Lan, address: string, port: number, timeoutMs = 15_000): Promise<HeldSession> {
	const child: ChildProcess = spawn('ip', ['netns', 'exec', lan.ns('client'), 'socat', '-', `TCP:${address}:${port}`], { stdio: ['pipe', 'pipe', 'pipe'] });
	let output = '';
	let exited = false;
	child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
	child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
	const gone = once(child, 'exit').then(() => { exited = true; });
	const close = async () => {
		if (exited) return;
		child.stdin!.end();
		child.kill('SIGTERM');
		await gone;
	};
	try {
		await waitFor(`a greeting from ${address}:${port}`, timeoutMs, () => {
			if (exited) throw new StopWaiting(`the connection closed: ${output}`);
			return output.includes('\n');
		}, 20);
	} catch (error) {
		await close();
		throw error;
	}
	const greeting = output.slice(0, output.indexOf('\n')).trim();
	return {
		greeting,
		received: () => output,
		async exchange(line, expect, waitMs = 10_000) {
			const from = output.length;
			child.stdin!.write(`${line}\r\n`);
			await waitFor(`"${expect}" after "${line}"`, waitMs, () => {
				if (output.slice(from).includes(expect)) return true;
				if (exited) throw new StopWaiting(`the connection closed: ${output.slice(from)}`);
				return false;
			}, 20);
		},
		get open() {
			return !exited;
		},
		close,
	};
}
