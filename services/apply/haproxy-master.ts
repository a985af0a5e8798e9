// haproxy's master CLI (the -S socket): `show proc` tells which workers are current, so a reload can be
// awaited until the new worker serves.
import net from 'node:net';

export interface MasterState {
	readonly reloads: number;
	/** Reloads the master could not complete (the new worker failed, e.g. a port already in use). */
	readonly failed: number;
	readonly workers: readonly number[];
	/** Workers of previous generations still finishing their sessions after a reload. */
	readonly oldWorkers: readonly number[];
}

/** How long the master CLI may take to answer one command. */
const answerTimeoutMs = 2000;

export function masterCommand(socket: string, command: string, timeoutMs = answerTimeoutMs): Promise<string> {
	return new Promise((resolve, reject) => {
		const connection = net.createConnection(socket);
		let output = '';
		connection.setTimeout(timeoutMs, () => connection.destroy(new Error(`no answer from ${socket} to "${command}"`)));
		// The master CLI answers once the client has half-closed its side.
		connection.on('connect', () => connection.end(`${command}\n`));
		connection.on('data', (chunk) => { output += chunk.toString(); });
		connection.on('end', () => resolve(output));
		connection.on('error', reject);
	});
}

/** Parses `show proc`: the master's reload count and the pids of the current and the old workers. */
export function parseShowProc(text: string): MasterState {
	let reloads = 0;
	let failed = 0;
	const workers: number[] = [];
	const oldWorkers: number[] = [];
	let section: 'head' | 'workers' | 'old' | 'other' = 'head';
	for (const line of text.split('\n')) {
		if (line.startsWith('# workers')) section = 'workers';
		else if (line.startsWith('# old workers')) section = 'old';
		else if (line.startsWith('#')) section = section === 'head' ? 'head' : 'other';
		else {
			const [pid, type, count] = line.trim().split(/\s+/);
			if (type === 'master') {
				reloads = Number(count);
				failed = Number(/\[failed: (\d+)\]/.exec(line)?.[1] ?? 0);
			}
			else if (type === 'worker' && section === 'workers') workers.push(Number(pid));
			else if (type === 'worker' && section === 'old') oldWorkers.push(Number(pid));
		}
	}
	return { reloads, failed, workers, oldWorkers };
}

export async function masterState(socket: string): Promise<MasterState> {
	return parseShowProc(await masterCommand(socket, 'show proc'));
}
