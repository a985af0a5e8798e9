// Long-running test daemons started inside a namespace: output to a log file, killed at teardown.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Lan } from './netns.js';
import { StopWaiting, waitFor } from '../../../services/apply/wait.js';

export interface Daemon {
	readonly name: string;
	readonly log: string;
	readonly child: ChildProcess;
	/** The last lines of the daemon's log, for failure messages. */
	tail(lines?: number): string;
	stop(): Promise<void>;
}

/** Starts `file args` in `host`'s namespace. `ready` ports must be listening within the deadline. */
export async function startDaemon(lan: Lan, host: string, name: string, log: string, file: string, args: readonly string[], ready: { ports: number[]; timeoutMs?: number }): Promise<Daemon> {
	const fd = openSync(log, 'a');
	// `ip netns exec` execs the command, so the child's pid is the daemon's own pid.
	const child = spawn('ip', ['netns', 'exec', lan.ns(host), file, ...args], { stdio: ['ignore', fd, fd] });
	closeSync(fd);
	let exited = false;
	child.once('exit', () => { exited = true; });
	const daemon: Daemon = {
		name,
		log,
		child,
		tail(lines = 20) {
			try { return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'); } catch { return ''; }
		},
		async stop() {
			if (exited || child.exitCode !== null || child.signalCode !== null) return;
			const gone = once(child, 'exit');
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
			await gone;
			clearTimeout(timer);
		},
	};
	try {
		await waitFor(`${name} listening on ${ready.ports.join(',')} in ${host}`, ready.timeoutMs ?? 15_000, async () => {
			if (exited) throw new StopWaiting(`${name} exited (code ${child.exitCode}): ${daemon.tail()}`);
			for (const port of ready.ports) if (!(await lan.isListening(host, port))) return false;
			return true;
		}, 100);
	} catch (error) {
		await daemon.stop();
		throw new Error(`${name} did not start in ${host}; log ${log}:\n${daemon.tail()}`, { cause: error });
	}
	return daemon;
}
