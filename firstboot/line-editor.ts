// Raw-mode line editing for one console: echo, backspace, Ctrl-U, Ctrl-C, Enter. Pure: input chunk in, echo and events out.
import { isBackspace, isEnter, isInterrupt, isPrintable, splitKeys } from './keys.js';

/** Longest answer accepted; more keys are dropped (a dotted quad is 15 characters). */
export const maxLineLength = 64;

export interface LineState {
	readonly text: string;
	/** The last key was CR: a following LF belongs to the same Enter. */
	readonly afterCarriageReturn: boolean;
	/** The start of an escape sequence split across reads. */
	readonly pending: string;
}

export type LineEvent = { readonly type: 'submit'; readonly text: string } | { readonly type: 'interrupt' };

export interface LineStep {
	readonly state: LineState;
	/** What to write back to the terminal (raw mode: the terminal does not echo). */
	readonly echo: string;
	/** Completed lines and interrupts, in order; keys after one of them keep editing a new line. */
	readonly events: readonly LineEvent[];
}

export const emptyLine: LineState = { text: '', afterCarriageReturn: false, pending: '' };

export function editLine(state: LineState, data: string): LineStep {
	let { text, afterCarriageReturn } = state;
	let echo = '';
	const events: LineEvent[] = [];
	const { keys, incomplete } = splitKeys(state.pending + data);
	for (const key of keys) {
		const wasCarriageReturn = afterCarriageReturn;
		afterCarriageReturn = key === '\r';
		if (key === '\n' && wasCarriageReturn) continue;
		if (isEnter(key)) {
			echo += '\r\n';
			events.push({ type: 'submit', text });
			text = '';
		} else if (isInterrupt(key)) {
			echo += '^C\r\n';
			events.push({ type: 'interrupt' });
			text = '';
		} else if (isBackspace(key)) {
			if (text.length > 0) {
				text = text.slice(0, -1);
				echo += '\b \b';
			}
		} else if (key === '\x15') {
			// Ctrl-U: erase the whole line.
			echo += '\b \b'.repeat(text.length);
			text = '';
		} else if (isPrintable(key) && text.length < maxLineLength) {
			text += key;
			echo += key;
		}
	}
	return { state: { text, afterCarriageReturn, pending: incomplete }, echo, events };
}
