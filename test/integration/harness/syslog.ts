// A syslog receiver (syslog-receiver.mjs) in a namespace, and the lines it received.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import type { Lan } from './netns.js';
import { startDaemon, type Daemon } from './daemon.js';
import { waitFor } from '../../../services/apply/wait.js';

const SCRIPT = fileURLToPath(new URL('./syslog-receiver.mjs', import.meta.url));

export interface SyslogReceiver {
	readonly daemon: Daemon;
	readonly file: string;
	/** Every message received so far, one per line. */
	lines(): string[];
}

export async function startSyslogReceiver(lan: Lan, host: string, dir: string, protocol: 'udp' | 'tcp', address: string, port: number): Promise<SyslogReceiver> {
	const name = `syslog-${protocol}-${port}@${host}`;
	const file = path.join(dir, `${name}.log`);
	const out = path.join(dir, `${name}.out`);
	// TCP readiness is a listening socket; UDP has none that `ss -l` lists, so the receiver says when it is bound.
	const daemon = await startDaemon(lan, host, name, out, process.execPath, [SCRIPT, protocol, address, String(port), file], { ports: protocol === 'tcp' ? [port] : [] });
	await waitFor(`${name} bound`, 10_000, () => daemon.tail().includes('listening'), 50);
	const lines = () => {
		try { return readFileSync(file, 'utf8').split('\n').filter(Boolean); } catch { return []; }
	};
	return { daemon, file, lines };
}
