// Splits raw terminal input into keys: one printable character, one control byte, or one whole escape sequence
// (arrow keys, function keys), so that `ESC [ A` is never typed into an answer as "[A".

export function splitKeys(data: string): string[] {
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
		if (next === '[' || next === 'O') {
			// CSI / SS3: parameters and intermediates, then one final byte in @..~.
			let end = index + 2;
			while (end < data.length && !/[@-~]/.test(data[end] as string)) end += 1;
			keys.push(data.slice(index, end + 1));
			index = end + 1;
		} else {
			keys.push(next === undefined ? char : char + next);
			index += next === undefined ? 1 : 2;
		}
	}
	return keys;
}

export const isEnter = (key: string): boolean => key === '\r' || key === '\n';
export const isBackspace = (key: string): boolean => key === '\x7f' || key === '\b';
export const isInterrupt = (key: string): boolean => key === '\x03';
/** One printable character (no control bytes, no escape sequences). */
export const isPrintable = (key: string): boolean => key.length === 1 && key >= ' ' && key !== '\x7f';
