// Starts the real agent (fixtures/agent-under-test.ts) on real pseudo-terminals made with node-pty, and gives tests
// the screens, the keyboard, the fake clock and the fake back end's events. Waits are on content, with deadlines.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';
import { Screen } from './screen.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
// Generous: under `make test` two QEMU guests keep both cores busy while these run.
const deadlineMs = 45_000;

export type AgentEvent = { event: string; [key: string]: unknown };

export interface AgentOptions {
	/** How many consoles (ptys) the agent gets: 1 or 2. */
	readonly consoles?: number;
	/** The fake DHCP server's answer ("10.0.2.15/24"), or none. */
	readonly dhcp?: string;
	/** Make the fake back end fail when applying this source ('dhcp' | 'static'). */
	readonly applyFails?: string;
	/** Reuse this EXLB_ROOT (a previous run's saved configuration). */
	readonly root?: string;
}

export class WaitError extends Error {
	override readonly name = 'WaitError';
}

interface Waiter {
	check(): boolean;
	resolve(): void;
}

export class AgentUnderTest {
	readonly screens: Screen[] = [];
	readonly events: AgentEvent[] = [];
	private readonly terminals: pty.IPty[] = [];
	private readonly waiters = new Set<Waiter>();
	private readonly closed = new Set<pty.IPty>();
	private child: ChildProcess | null = null;
	private control: Socket | null = null;
	private server: Server | null = null;
	stderr = '';
	exitCode: number | null = null;

	private constructor(readonly root: string, private readonly ownsRoot: boolean) {}

	static async start(options: AgentOptions = {}): Promise<AgentUnderTest> {
		const root = options.root ?? (await mkdtemp(path.join(tmpdir(), 'exlb-firstboot-')));
		const agent = new AgentUnderTest(root, options.root === undefined);
		await agent.launch(options);
		return agent;
	}

	private async launch(options: AgentOptions): Promise<void> {
		const devices: string[] = [];
		for (let index = 0; index < (options.consoles ?? 1); index++) {
			// A pty held open by an idle process; the agent opens its slave by path, as it opens /dev/ttyS0.
			// The holder closes the masters of the ptys made before it (inherited), or closing those would not reach the agent.
			const masters = this.terminals.map((terminal) => (terminal as unknown as { _fd: number })._fd).join(' ');
			const holder = 'for fd in $MASTERS; do eval "exec $fd>&-"; done; exec sleep 600';
			const terminal = pty.spawn('bash', ['-c', holder], { name: 'xterm', cols: 100, rows: 40, cwd: this.root, env: { MASTERS: masters, PATH: process.env.PATH ?? '/usr/bin:/bin' } });
			const screen = new Screen();
			terminal.onData((data) => {
				screen.feed(data);
				this.notify();
			});
			this.terminals.push(terminal);
			this.screens.push(screen);
			devices.push((terminal as unknown as { ptsName: string }).ptsName);
		}
		const socketPath = path.join(this.root, `control-${process.pid}-${Date.now()}.sock`);
		const connected = new Promise<Socket>((resolve) => {
			this.server = createServer((socket) => resolve(socket));
		});
		await new Promise<void>((resolve) => this.server?.listen(socketPath, resolve));
		this.child = spawn(process.execPath, ['--import=tsx', path.join(here, 'fixtures/agent-under-test.ts')], {
			cwd: repoRoot,
			stdio: ['ignore', 'ignore', 'pipe'],
			env: {
				...process.env,
				EXLB_ROOT: this.root,
				EXLB_CONSOLES: devices.join(','),
				EXLB_TEST_CONTROL: socketPath,
				EXLB_FAKE_DHCP: options.dhcp ?? 'none',
				EXLB_FAKE_APPLY_FAILS: options.applyFails ?? '',
				// node-pty's master fds are inherited by children: the agent closes them so that closing a pty here reaches it.
				EXLB_TEST_INHERITED_FDS: this.terminals.map((terminal) => (terminal as unknown as { _fd: number })._fd).join(','),
			},
		});
		this.child.stderr?.setEncoding('utf8').on('data', (data: string) => {
			this.stderr += data;
			this.notify();
		});
		this.child.on('exit', (code) => {
			this.exitCode = code ?? -1;
			this.notify();
		});
		this.control = await connected;
		createInterface({ input: this.control }).on('line', (line) => {
			this.events.push(JSON.parse(line) as AgentEvent);
			this.notify();
		});
	}

	private notify(): void {
		for (const waiter of [...this.waiters]) {
			if (waiter.check()) {
				this.waiters.delete(waiter);
				waiter.resolve();
			}
		}
	}

	/** Resolves when `check` holds; rejects after the deadline with what the screens showed. */
	async until(what: string, check: () => boolean, timeoutMs = deadlineMs): Promise<void> {
		if (check()) return;
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiters.delete(waiter);
				const screens = this.screens.map((screen, index) => `--- console ${index} ---\n${screen.text().join('\n')}`).join('\n');
				reject(new WaitError(`timed out after ${timeoutMs} ms waiting for ${what}\n${screens}\n--- agent stderr ---\n${this.stderr}`));
			}, timeoutMs);
			const waiter: Waiter = {
				check,
				resolve: () => {
					clearTimeout(timer);
					resolve();
				},
			};
			this.waiters.add(waiter);
		});
	}

	/** Waits until console `index` shows `text` (a string anywhere on screen, or a regexp on one line). */
	async see(index: number, text: string | RegExp): Promise<void> {
		const screen = this.screens[index] as Screen;
		await this.until(`console ${index} to show ${String(text)}`, () =>
			typeof text === 'string' ? screen.text().join('\n').includes(text) : screen.text().some((line) => text.test(line)),
		);
	}

	/** Waits until the line under the cursor of console `index` is exactly `line` (trailing spaces ignored). */
	async atPrompt(index: number, line: string): Promise<void> {
		const screen = this.screens[index] as Screen;
		await this.until(`console ${index} cursor line to be ${JSON.stringify(line)}`, () => screen.current() === line.trimEnd());
	}

	async event(what: string, match: (event: AgentEvent) => boolean, from = 0): Promise<AgentEvent> {
		await this.until(`agent event ${what}`, () => this.events.slice(from).some(match));
		return this.events.slice(from).find(match) as AgentEvent;
	}

	count(name: string): number {
		return this.events.filter((event) => event.event === name).length;
	}

	/** Waits for `question` under the cursor of console `index`, then types `text` and Enter. */
	async answer(question: string, text: string, index = 0): Promise<void> {
		await this.atPrompt(index, question);
		this.type(index, `${text}\r`);
	}

	type(index: number, keys: string): void {
		(this.terminals[index] as pty.IPty).write(keys);
	}

	/** Advances the fake clock and waits until the agent has fired every timer due. */
	async advance(ms: number): Promise<void> {
		const before = this.count('advanced');
		this.control?.write(`${JSON.stringify({ cmd: 'advance', ms })}\n`);
		await this.until(`the fake clock to advance ${ms} ms`, () => this.count('advanced') > before);
	}

	/** Closes the pty master of console `index`: the agent's reads fail (EIO), as when a console goes away. */
	closeConsole(index: number): void {
		const terminal = this.terminals[index] as pty.IPty;
		this.closed.add(terminal);
		(terminal as unknown as { destroy(): void }).destroy();
	}

	async stop(): Promise<void> {
		if (this.exitCode === null && this.child !== null) {
			this.child.kill('SIGTERM');
			await this.until('the agent to exit', () => this.exitCode !== null).catch(() => this.child?.kill('SIGKILL'));
		}
		for (const terminal of this.terminals) if (!this.closed.has(terminal)) terminal.kill('SIGKILL');
		this.control?.destroy();
		this.server?.close();
		if (this.ownsRoot) await rm(this.root, { recursive: true, force: true });
	}

	/** Keeps the root (saved configuration) for a second agent: the next boot. */
	async stopKeepingRoot(): Promise<string> {
		Object.assign(this, { ownsRoot: false });
		await this.stop();
		return this.root;
	}
}
