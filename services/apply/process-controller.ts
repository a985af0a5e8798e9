// Runs the daemons as child processes (tests, host use): haproxy in master-worker mode reloaded with
// SIGUSR2 (listeners handed over, nothing dropped), each stunnel (one per offloaded service) reloaded with
// SIGHUP, keepalived with SIGHUP.
// Each start/reload resolves only once the daemon reports (or shows) that it serves the new config.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { CommandError, indented, lastLines, startBackground, type BackgroundProcess } from '../os/exec.js';
import type { RenderEnv } from '../render/env.js';
import type { ServiceController } from './controller.js';
import { allDaemons, isStunnel, type Daemon } from '../render/daemons.js';
import { daemonConfigPath } from './render-dir.js';
import { ServiceControlError } from './errors.js';
import { waitFor, listeningPorts, StopWaiting } from './wait.js';
import { masterState } from './haproxy-master.js';

export interface ProcessControllerOptions {
	/** The render dir apply() swaps (the daemons read their config there). */
	readonly renderDir: string;
	readonly env: RenderEnv;
	/** Run the daemons inside this network namespace (`ip netns exec`). */
	readonly netns?: string;
	/** Deadline for a start or a reload to complete (default 30 s: generous, the host may be busy with QEMU boots). */
	readonly timeoutMs?: number;
}

/** Default deadline for a start or a reload. */
const defaultTimeoutMs = 30_000;
/** Output kept per daemon for diagnostics (characters; the oldest output is dropped). */
const keptOutputChars = 65_536;
/** Output lines quoted when a start, reload or stop fails. */
const tailLines = 8;

interface DaemonOutput {
	output: string;
	/** "Config loaded" messages seen since start, counted as the output streams (the kept output is bounded). */
	marks: number;
	exited: boolean;
}

interface Child extends DaemonOutput {
	readonly process: BackgroundProcess;
}

/** The message a daemon prints each time it has loaded its config. */
function markPattern(service: Daemon): RegExp {
	return isStunnel(service) ? /Configuration successful/g : /Startup complete|Reload complete/g;
}

export class ProcessController implements ServiceController {
	readonly #children = new Map<Daemon, Child>();
	readonly #timeoutMs: number;

	constructor(readonly options: ProcessControllerOptions) {
		this.#timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
	}

	/** What the daemon printed so far (for diagnostics). */
	output(service: Daemon): string {
		return this.#children.get(service)?.output ?? '';
	}

	pid(service: Daemon): number | undefined {
		return this.#children.get(service)?.process.pid;
	}

	#config(service: Daemon): string {
		return daemonConfigPath(this.options.renderDir, service);
	}

	#args(service: Daemon): string[] {
		const { env } = this.options;
		if (isStunnel(service)) return [this.#config(service)];
		if (service === 'haproxy') return ['-W', '-S', env.haproxyMasterSocket, '-f', this.#config(service), '-p', env.haproxyPidFile];
		return ['--dont-fork', '--log-console', '--vrrp', '-f', this.#config(service),
			'-p', env.keepalivedPidFile, '-r', `${env.keepalivedPidFile}.vrrp`, '-c', `${env.keepalivedPidFile}.checkers`];
	}

	async isRunning(service: Daemon): Promise<boolean> {
		const child = this.#children.get(service);
		return child !== undefined && !child.exited;
	}

	async start(service: Daemon): Promise<void> {
		if (await this.isRunning(service)) throw new ServiceControlError(service, 'start', 'it is already running');
		const command = isStunnel(service) ? 'stunnel' : service;
		const [file, args] = this.options.netns === undefined
			? [command, this.#args(service)]
			: ['ip', ['netns', 'exec', this.options.netns, command, ...this.#args(service)]];
		const seen: DaemonOutput = { output: '', marks: 0, exited: false };
		let pending = '';
		const onOutput = (text: string) => {
			seen.output = (seen.output + text).slice(-keptOutputChars);
			// Count on whole lines: under load stunnel logs every connection and the bounded output rolls over.
			const lines = (pending + text).split('\n');
			pending = lines.pop() ?? '';
			for (const line of lines) seen.marks += line.match(markPattern(service))?.length ?? 0;
		};
		let started: BackgroundProcess;
		try {
			started = startBackground(file, args, onOutput);
		} catch (error) {
			if (error instanceof CommandError) throw new ServiceControlError(service, 'start', `${file} could not be spawned`, { cause: error });
			throw error;
		}
		const child: Child = Object.assign(seen, { process: started });
		void started.exited.then(() => { child.exited = true; });
		this.#children.set(service, child);
		await this.#until(service, 'start', async () => this.#ready(service, child, 0));
	}

	async reload(service: Daemon): Promise<void> {
		const child = this.#running(service, 'reload');
		const before = service === 'haproxy' ? await masterState(this.options.env.haproxyMasterSocket) : null;
		const marks = this.#marks(child);
		process.kill(child.process.pid, service === 'haproxy' ? 'SIGUSR2' : 'SIGHUP');
		await this.#until(service, 'reload', async () => {
			if (service !== 'haproxy') return this.#ready(service, child, marks);
			const now = await masterState(this.options.env.haproxyMasterSocket);
			if (now.failed > before!.failed) throw new StopWaiting('the new worker failed to start; the previous one keeps serving');
			return now.reloads > before!.reloads && now.workers.some((pid) => !before!.workers.includes(pid));
		});
	}

	async stop(service: Daemon): Promise<void> {
		const child = this.#children.get(service);
		if (child === undefined || child.exited) return;
		child.process.kill('SIGTERM');
		await this.#until(service, 'stop', async () => child.exited, false).catch(async (error: unknown) => {
			child.process.kill('SIGKILL');
			await child.process.exited;
			throw error;
		});
		this.#children.delete(service);
	}

	/** Stops every daemon this controller started (tests' teardown). */
	async stopAll(): Promise<void> {
		for (const service of [...allDaemons].reverse()) await this.stop(service);
	}

	#running(service: Daemon, action: string): Child {
		const child = this.#children.get(service);
		if (child === undefined || child.exited) throw new ServiceControlError(service, action, 'it is not running');
		return child;
	}

	/** How many "config loaded" messages the daemon has printed so far. */
	#marks(child: Child): number {
		return child.marks;
	}

	async #ready(service: Daemon, child: Child, previousMarks: number): Promise<boolean> {
		if (service === 'haproxy') return (await masterState(this.options.env.haproxyMasterSocket)).workers.length > 0;
		if (this.#marks(child) <= previousMarks) return false;
		if (service === 'keepalived') return true;
		// stunnel logs nothing when it binds: its accept ports must show up as listening in its namespace.
		const wanted = [...(await readFile(this.#config(service), 'utf8')).matchAll(/^accept = (?:.*:)?(\d+)$/gm)].map((match) => Number(match[1]));
		const listening = await listeningPorts(child.process.pid);
		return wanted.every((port) => listening.has(port));
	}

	async #until(service: Daemon, action: string, condition: () => Promise<boolean>, failOnExit = true): Promise<void> {
		const child = this.#children.get(service)!;
		try {
			await waitFor(`${service} to ${action}`, this.#timeoutMs, async () => {
				if (failOnExit && child.exited) throw new StopWaiting('it exited');
				return condition();
			});
		} catch (error) {
			const tail = indented(lastLines(child.output, tailLines), '    ');
			throw new ServiceControlError(service, action, `${(error as Error).message}; last output:\n${tail}`, { cause: error });
		}
	}
}
