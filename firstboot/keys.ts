// Splits raw terminal input into keys: one printable character, one control byte, or one whole escape sequence
// (arrow keys, function keys), so that `ESC [ A` is never typed into an answer as "[A".

export interface SplitKeys {
	readonly keys: string[];
	/** An escape sequence cut at the end of the chunk: prepend it to the next chunk. */
	readonly incomplete: string;
}

export function splitKeys(data: string): SplitKeys {
	const keys: string[] = [];
	let index = 0;
	while (index < data.length) {
		const char = data[index] as string;
		if (char !== '\x1b') {
			keys.push(char);
			index += 1;
			continue;
		}
		const next = data[index + 1];
		if (next === undefined) return { keys, incomplete: data.slice(index) };
		if (next === '[' || next === 'O') {
			// CSI / SS3: parameters and intermediates, then one final byte in @..~.
			let end = index + 2;
			while (end < data.length && !/[@-~]/.test(data[end] as string)) end += 1;
			if (end >= data.length) return { keys, incomplete: data.slice(index) };
			keys.push(data.slice(index, end + 1));
			index = end + 1;
		} else {
			keys.push(char + next);
			index += 2;
		}
	}
	return { keys, incomplete: '' };
}

export const isEnter = (key: string): boolean => key === '\r' || key === '\n';
export const isBackspace = (key: string): boolean => key === '\x7f' || key === '\b';
export const isInterrupt = (key: string): boolean => key === '\x03';
/** One printable character (no control bytes, no escape sequences). */
export const isPrintable = (key: string): boolean => key.length === 1 && key >= ' ' && key !== '\x7f';
