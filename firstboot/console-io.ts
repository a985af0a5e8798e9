// One console (tty1, ttyS0, a pty in tests): raw mode, input as text, writes that never throw, and one "closed"
// notification whatever the cause (EOF, EIO, hang-up), so a console going away never takes the agent with it.
import { openSync, closeSync, constants } from 'node:fs';
import tty from 'node:tty';

export interface ConsoleListener {
	input(data: string): void;
	closed(): void;
}

export interface ConsoleIo {
	/** Short name shown to users: "tty1", "ttyS0". */
	readonly name: string;
	readonly isClosed: boolean;
	/** Writes text; silently dropped once the console is closed. */
	write(text: string): void;
	/** Receives input until unsubscribed; `closed` is called once (immediately if already closed). */
	subscribe(listener: ConsoleListener): () => void;
}

export function consoleName(device: string): string {
	return device.replace(/^\/dev\//, '');
}

/** Base for console implementations: fan-out to listeners and the closed-once bookkeeping. */
export class ConsoleHub {
	private readonly listeners = new Set<ConsoleListener>();
	private closedAlready = false;

	get isClosed(): boolean {
		return this.closedAlready;
	}

	subscribe(listener: ConsoleListener): () => void {
		if (this.closedAlready) {
			queueMicrotask(() => listener.closed());
			return () => {};
		}
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	deliver(data: string): void {
		for (const listener of [...this.listeners]) listener.input(data);
	}

	close(): void {
		if (this.closedAlready) return;
		this.closedAlready = true;
		for (const listener of [...this.listeners]) listener.closed();
		this.listeners.clear();
	}
}

/** Opens a terminal device by path in raw mode. A device that cannot be opened is a console that is closed. */
export function openTtyConsole(device: string, log: (line: string) => void = () => {}): ConsoleIo {
	const hub = new ConsoleHub();
	const name = consoleName(device);
	let output: tty.WriteStream | null = null;
	let input: tty.ReadStream | null = null;
	const fail = (why: unknown) => {
		if (hub.isClosed) return;
		log(`console ${name} closed: ${why instanceof Error ? why.message : String(why)}`);
		input?.destroy();
		output?.destroy();
		hub.close();
	};
	try {
		// O_NOCTTY: the agent must not become the session owner of the console (no SIGHUP on hang-up).
		// O_NONBLOCK: opening a serial port without carrier (no CLOCAL) must not block the agent forever.
		const flags = constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK;
		const readFd = openSync(device, flags);
		const writeFd = openSync(device, flags);
		if (!tty.isatty(readFd)) {
			closeSync(readFd);
			closeSync(writeFd);
			throw new Error(`${device} is not a terminal`);
		}
		input = new tty.ReadStream(readFd);
		input.setRawMode(true);
		input.setEncoding('utf8');
		output = new tty.WriteStream(writeFd);
		input.on('data', (data: string) => hub.deliver(data));
		input.on('end', () => fail('end of input'));
		input.on('error', fail);
		input.on('close', () => fail('closed'));
		output.on('error', fail);
	} catch (error) {
		fail(error);
	}
	return {
		name,
		get isClosed() {
			return hub.isClosed;
		},
		write(text) {
			if (hub.isClosed || output === null) return;
			try {
				output.write(text);
			} catch (error) {
				fail(error);
			}
		},
		subscribe: (listener) => hub.subscribe(listener),
	};
}
