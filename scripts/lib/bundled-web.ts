// The web server as the image ships it (the esbuild bundle exlb-web.mjs, with chosen node flags) in front of an
// engine's socket, on a free loopback port, for the benchmarks; and a process's memory from /proc.
import { readFile } from 'node:fs/promises';
import { execa, type ResultPromise } from 'execa';
import { listeningPorts, StopWaiting, waitFor } from '../../services/apply/wait.js';
import { freePorts } from '../../test/helpers/free-port.js';

/** VmRSS and VmHWM (peak) of a process, in KiB. */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
	const status = await readFile(`/proc/${pid}/status`, 'utf8');
	const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
	return { rss: field('VmRSS'), peak: field('VmHWM') };
}

export interface BundledWeb {
	readonly child: ResultPromise;
	readonly pid: number;
	readonly origin: string;
	stop(): Promise<void>;
}

export async function startBundledWeb(options: { script: string; nodeFlags: readonly string[]; engineSocket: string; tlsFile: string; uiDir?: string }): Promise<BundledWeb> {
	const [port] = (await freePorts(1)) as [number];
	const child = execa('node', [...options.nodeFlags, options.script], {
		reject: false, stdio: 'ignore',
		env: {
			EXLB_WEB_PORT: String(port), EXLB_WEB_ADDRESS: '127.0.0.1', EXLB_WEB_TLS: options.tlsFile, EXLB_ENGINE_SOCKET: options.engineSocket, EXLB_VERSION: 'bench',
			...(options.uiDir === undefined ? {} : { EXLB_WEB_UI: options.uiDir }),
		},
	});
	const stop = async () => {
		child.kill('SIGTERM');
		await child;
	};
	try {
		await waitFor(`the web server on port ${port}`, 60_000, async () => {
			if (child.exitCode !== null) throw new StopWaiting(`the web server exited (${child.exitCode})`);
			return (await listeningPorts(child.pid!)).has(port);
		}, 50);
	} catch (error) {
		await stop();
		throw error;
	}
	return { child, pid: child.pid!, origin: `https://127.0.0.1:${port}`, stop };
}
