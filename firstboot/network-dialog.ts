// The network question as a state machine: the countdown (D/s), then the static questions on the console that
// answered first. No I/O and no timers here: the driver feeds it ticks, console input and closed consoles, and
// writes the texts it returns. The result is a Decision that the network flow carries out.
import { gatewayProblem, hostAddressProblem, ipv4Problem, netmaskProblem } from '../services/config/ipv4.js';
import { emptyLine, editLine, type LineState } from './line-editor.js';
import { isEnter, splitKeys } from './keys.js';
import * as texts from './texts.js';

export type ConsoleId = string;

export interface StaticValues {
	readonly address: string;
	readonly netmask: string;
	/** '' = no default gateway. */
	readonly gateway: string;
}

export type Decision =
	| { readonly kind: 'dhcp'; readonly because: 'answer' | 'timeout' | 'no-console'; readonly console?: ConsoleId }
	| { readonly kind: 'static'; readonly values: StaticValues; readonly console: ConsoleId };

export type Effect =
	| { readonly type: 'write'; readonly to: ConsoleId; readonly text: string }
	| { readonly type: 'decided'; readonly decision: Decision };

export interface DialogOptions {
	readonly consoles: readonly ConsoleId[];
	/** Defaults offered in parentheses by the static questions. */
	readonly defaults: StaticValues;
	/** Seconds before DHCP is chosen for the user; null = wait for the answer (console menu). */
	readonly countdownSeconds: number | null;
	/** Show the three "No IP configuration found" warnings first (factory settings). */
	readonly warnings: boolean;
}

type Field = 'address' | 'netmask' | 'gateway' | 'commit';
const fieldOrder: readonly Field[] = ['address', 'netmask', 'gateway', 'commit'];
const fieldLabel: Record<Field, string> = { address: 'IP address', netmask: 'netmask', gateway: 'default gateway', commit: 'answer' };

export class NetworkDialog {
	private phase: 'idle' | 'choosing' | 'static' | 'done' = 'idle';
	private remaining: number | null;
	private readonly open: ConsoleId[];
	private owner: ConsoleId | null = null;
	private field: Field = 'address';
	private defaults: StaticValues;
	private typed: { address: string; netmask: string; gateway: string };
	private line: LineState = emptyLine;
	/** Per console: the start of an escape sequence split across reads during the countdown. */
	private readonly pendingKeys = new Map<ConsoleId, string>();

	constructor(private readonly options: DialogOptions) {
		this.open = [...options.consoles];
		this.remaining = options.countdownSeconds;
		this.defaults = options.defaults;
		this.typed = { ...options.defaults };
	}

	get finished(): boolean {
		return this.phase === 'done';
	}

	/** True while the driver should deliver one tick per second. */
	get counting(): boolean {
		return this.phase === 'choosing' && this.remaining !== null;
	}

	start(): Effect[] {
		if (this.phase !== 'idle') return [];
		this.phase = 'choosing';
		if (this.open.length === 0) return this.decide({ kind: 'dhcp', because: 'no-console' });
		const head = this.options.warnings ? texts.warnings.map((line) => `${line}\r\n`).join('') : '';
		return this.toAll(head + this.choiceText());
	}

	/** One second passed. */
	tick(): Effect[] {
		if (!this.counting || this.remaining === null) return [];
		this.remaining = Math.max(0, this.remaining - 1);
		const redraw = this.toAll(`\r${this.choiceText()}\x1b[K`);
		if (this.remaining > 0) return redraw;
		return [...redraw, ...this.toAll('\r\n'), ...this.decide({ kind: 'dhcp', because: 'timeout' })];
	}

	input(from: ConsoleId, data: string): Effect[] {
		if (!this.open.includes(from)) return [];
		if (this.phase === 'choosing') return this.choose(from, data);
		if (this.phase === 'static' && from === this.owner) return this.edit(data);
		return [];
	}

	/** A console reached EOF or failed: never wait on it again; with nobody left to answer, take the default path. */
	closed(which: ConsoleId): Effect[] {
		const index = this.open.indexOf(which);
		if (index < 0) return [];
		this.open.splice(index, 1);
		if (this.phase === 'choosing' && this.open.length === 0) return this.decide({ kind: 'dhcp', because: 'no-console' });
		if (this.phase === 'static' && which === this.owner) {
			return [...this.toAll(`\r\nConsole ${which} closed during the static configuration: using DHCP.\r\n`), ...this.decide({ kind: 'dhcp', because: 'no-console' })];
		}
		return [];
	}

	private choiceText(): string {
		return this.remaining === null ? texts.choiceQuestion : texts.countdownQuestion(this.remaining);
	}

	private choose(from: ConsoleId, data: string): Effect[] {
		const { keys, incomplete } = splitKeys((this.pendingKeys.get(from) ?? '') + data);
		this.pendingKeys.set(from, incomplete);
		for (const key of keys) {
			if (key === 'd' || key === 'D' || isEnter(key)) {
				const echo = isEnter(key) ? '' : key;
				return [
					...this.toAll(`${echo}\r\n`),
					...this.toOthers(from, `DHCP chosen on ${from}.\r\n`),
					...this.decide({ kind: 'dhcp', because: 'answer', console: from }),
				];
			}
			if (key === 's' || key === 'S') {
				this.phase = 'static';
				this.owner = from;
				return [
					...this.toAll(`${key}\r\n`),
					...this.toOthers(from, `Static configuration being entered on ${from}...\r\n`),
					{ type: 'write', to: from, text: `${texts.configureManually}\r\n${this.question()}` },
				];
			}
			// Any other key (stray letters, arrows, backspace, Ctrl-C) is ignored: the countdown goes on.
		}
		return [];
	}

	private edit(data: string): Effect[] {
		const owner = this.owner as ConsoleId;
		const step = editLine(this.line, data);
		this.line = step.state;
		const effects: Effect[] = [];
		let echo = step.echo;
		for (const event of step.events) {
			if (this.phase !== 'static') break;
			// Echo up to and including this event's newline, then the reply to it.
			const cut = echo.indexOf('\r\n') + 2;
			effects.push({ type: 'write', to: owner, text: echo.slice(0, cut) });
			echo = echo.slice(cut);
			effects.push(...(event.type === 'interrupt' ? [{ type: 'write', to: owner, text: this.question() } as const] : this.answer(event.text)));
		}
		if (echo !== '' && this.phase === 'static') effects.push({ type: 'write', to: owner, text: echo });
		return effects;
	}

	private answer(raw: string): Effect[] {
		const owner = this.owner as ConsoleId;
		const { value, problem } = this.evaluate(raw);
		if (problem === null && this.field === 'netmask') {
			// The address is a host of the subnet only once the netmask is known: if not, the address is what is wrong.
			const hostProblem = hostAddressProblem(this.typed.address, value);
			if (hostProblem !== null) {
				// What was typed becomes the defaults, so changing only the netmask is two keystrokes away.
				this.defaults = { ...this.defaults, address: this.typed.address, netmask: value };
				this.field = 'address';
				return [{ type: 'write', to: owner, text: `Invalid IP address: ${hostProblem}\r\n${this.question()}` }];
			}
		}
		if (problem !== null) {
			return [{ type: 'write', to: owner, text: `Invalid ${fieldLabel[this.field]}: ${problem}\r\n${this.question()}` }];
		}
		if (this.field === 'commit') {
			if (value === 'y') return this.decide({ kind: 'static', values: { ...this.typed }, console: owner });
			// N: the questions again, with what was just typed as the defaults.
			this.defaults = { ...this.typed };
			this.field = 'address';
			return [{ type: 'write', to: owner, text: `${texts.configureManually}\r\n${this.question()}` }];
		}
		this.typed = { ...this.typed, [this.field]: value };
		this.field = fieldOrder[fieldOrder.indexOf(this.field) + 1] as Field;
		return [{ type: 'write', to: owner, text: this.question() }];
	}

	/** Enter keeps the default; an answer of only spaces is an explicit empty answer. */
	private evaluate(raw: string): { value: string; problem: string | null } {
		const typed = raw.trim();
		if (this.field === 'commit') {
			const yesNo = raw === '' ? 'n' : typed.toLowerCase();
			if (yesNo === 'y' || yesNo === 'yes') return { value: 'y', problem: null };
			if (yesNo === 'n' || yesNo === 'no') return { value: 'n', problem: null };
			return { value: '', problem: `${JSON.stringify(raw)} is neither y nor n` };
		}
		const answer = raw === '' ? this.defaults[this.field] : typed;
		switch (this.field) {
			case 'address':
				// With a 0.0.0.0 mask only the address itself is judged (not 0/8, loopback, multicast); subnet checks come with the netmask.
				return { value: answer, problem: ipv4Problem(answer) ?? hostAddressProblem(answer, '0.0.0.0') };
			case 'netmask':
				return { value: answer, problem: netmaskProblem(answer) };
			case 'gateway': {
				const gateway = answer.toLowerCase() === 'none' ? '' : answer;
				return { value: gateway, problem: gateway === '' ? null : gatewayProblem(gateway, this.typed.address, this.typed.netmask) };
			}
		}
	}

	private question(): string {
		switch (this.field) {
			case 'address':
				return texts.addressQuestion(this.defaults.address);
			case 'netmask':
				return texts.netmaskQuestion(this.defaults.netmask);
			case 'gateway':
				return texts.gatewayQuestion(this.defaults.gateway);
			case 'commit':
				return texts.commitQuestion;
		}
	}

	private decide(decision: Decision): Effect[] {
		this.phase = 'done';
		return [{ type: 'decided', decision }];
	}

	private toAll(text: string): Effect[] {
		return this.open.map((to) => ({ type: 'write', to, text }));
	}

	private toOthers(except: ConsoleId, text: string): Effect[] {
		return this.open.filter((to) => to !== except).map((to) => ({ type: 'write', to, text }));
	}
}
