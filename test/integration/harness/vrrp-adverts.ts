// The VRRP advertisements one node sends, as the wire sees them: tcpdump on its port of the test bridge, each
// advertisement with its time. A node advertises exactly while keepalived holds it master, so this tells when it
// took or gave up the VIP without asking its API (slow under QEMU TCG).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { waitFor } from '../../../services/apply/wait.js';
import type { Lan } from './netns.js';

export interface AdvertWatch {
	/** When each advertisement was seen, ms since the epoch, oldest first. */
	times(): readonly number[];
	stop(): Promise<void>;
}

/** Starts watching the advertisements `source` sends on `port` (in the switch's namespace); resolves once listening. */
export async function watchAdverts(lan: Lan, port: string, source: string): Promise<AdvertWatch> {
	const child = spawn('ip', ['netns', 'exec', lan.ns('sw'), 'tcpdump', '-i', port, '-n', '-l', '-tt', 'ip', 'proto', '112', 'and', 'src', 'host', source], { stdio: ['ignore', 'pipe', 'pipe'] });
	const times: number[] = [];
	let partial = '';
	let errors = '';
	child.stdout.on('data', (chunk: Buffer) => {
		const lines = (partial + chunk.toString()).split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) {
			const seconds = /^(\d+\.\d+) IP .*VRRP/.exec(line)?.[1];
			if (seconds !== undefined) times.push(Math.round(Number(seconds) * 1000));
		}
	});
	child.stderr.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
	const exited = once(child, 'exit');
	await waitFor(`tcpdump listening on ${port}`, 10_000, () => {
		if (child.exitCode !== null) throw new Error(`tcpdump on ${port} exited ${child.exitCode}: ${errors.trim()}`);
		return /listening on/.test(errors);
	}, 50);
	return {
		times: () => times,
		async stop() {
			if (child.exitCode === null) {
				child.kill('SIGTERM');
				await exited;
			}
		},
	};
}
