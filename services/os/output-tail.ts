// The one convention for quoting a program's output in a message: its last lines, "\n"-separated,
// and the same lines on one line (" | "-separated) where a message must stay on one line.

/** The last `count` lines of `text`, without leading or trailing blank space ('' for no output). */
export function lastLines(text: string, count: number): string {
	const trimmed = text.trim();
	return trimmed === '' ? '' : trimmed.split('\n').slice(-count).join('\n');
}

/** Lines joined with " | " so a multi-line tail fits in a one-line message. */
export function oneLine(lines: string): string {
	return lines.split('\n').map((line) => line.trim()).join(' | ');
}

/** Lines indented under a message ("last output:" blocks). */
export function indented(lines: string, indent: string): string {
	return lines.split('\n').map((line) => `${indent}${line}`).join('\n');
}
