// The pure line editor under the pty tests: key splitting and line editing, chunk by chunk as reads deliver them.
import test from 'ava';
import { editLine, emptyLine, maxLineLength, type LineState } from '../../../firstboot/line-editor.js';

function feed(...chunks: string[]): { state: LineState; echo: string; events: unknown[] } {
	let state = emptyLine;
	let echo = '';
	const events: unknown[] = [];
	for (const chunk of chunks) {
		const step = editLine(state, chunk);
		state = step.state;
		echo += step.echo;
		events.push(...step.events);
	}
	return { state, echo, events };
}

test('an arrow key split across two reads is dropped whole, not typed as "[D"', (t) => {
	const result = feed('10\x1b', '[D', '\x1bO', 'D', '.1\r');
	t.deepEqual(result.events, [{ type: 'submit', text: '10.1' }]);
	t.is(result.echo, '10.1\r\n');
});

test('CR LF is one Enter; backspace on an empty line echoes nothing; Ctrl-U erases the line', (t) => {
	t.deepEqual(feed('a\r\n', '\r').events, [{ type: 'submit', text: 'a' }, { type: 'submit', text: '' }]);
	t.is(feed('\x7f\x7f').echo, '');
	const erased = feed('abc\x15x\r');
	t.deepEqual(erased.events, [{ type: 'submit', text: 'x' }]);
	t.is(erased.echo, 'abc\b \b\b \b\b \bx\r\n');
});

test('answers are capped, Ctrl-C is an interrupt that clears the line', (t) => {
	const long = feed('9'.repeat(maxLineLength + 10), '\r');
	t.deepEqual(long.events, [{ type: 'submit', text: '9'.repeat(maxLineLength) }]);
	t.deepEqual(feed('12\x03', '3\r').events, [{ type: 'interrupt' }, { type: 'submit', text: '3' }]);
});
