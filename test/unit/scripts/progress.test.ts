import test from 'ava';
import { statusLine } from '../../../scripts/lib/progress.js';

function fakeStream(isTTY: boolean) {
	const written: string[] = [];
	const stream = { isTTY, columns: 40, write: (chunk: string) => written.push(String(chunk)) > 0 };
	return { stream: stream as unknown as NodeJS.WriteStream, written };
}

test('without a terminal nothing is drawn and the streams are not hooked', (t) => {
	const { stream, written } = fakeStream(false);
	const write = stream.write;
	const line = statusLine(stream, [stream], {});
	line.set('rootfs');
	stream.write('▶ rootfs\n');
	line.stop();
	t.false(line.live);
	t.is(stream.write, write);
	t.deepEqual(written, ['▶ rootfs\n']);
});

test('with CI set nothing is drawn even on a terminal', (t) => {
	const { stream, written } = fakeStream(true);
	const line = statusLine(stream, [stream], { CI: 'true' });
	line.set('rootfs');
	t.false(line.live);
	t.deepEqual(written, []);
});

test('on a terminal other output is written above the status line, which is redrawn after it', (t) => {
	const { stream, written } = fakeStream(true);
	const write = stream.write;
	const line = statusLine(stream, [stream], {});
	line.set('rootfs');
	t.regex(written.at(-1)!, /^\r\x1b\[K. rootfs · 0 s$/);
	stream.write('▶ rootfs\n');
	t.is(written.at(-3), '\r\x1b[K');
	t.is(written.at(-2), '▶ rootfs\n');
	t.regex(written.at(-1)!, /^\r\x1b\[K. rootfs · 0 s$/);
	line.stop();
	t.is(written.at(-1), '\r\x1b[K');
	t.is(stream.write, write);
});

test('a partial line is not wiped: the status line waits for its newline', (t) => {
	const { stream, written } = fakeStream(true);
	const line = statusLine(stream, [stream], {});
	line.set('boot');
	stream.write('bench: x…');
	const count = written.length;
	line.set('boot 2');
	t.is(written.length, count);
	stream.write(' done\n');
	t.regex(written.at(-1)!, /boot 2/);
	line.stop();
});

test('the status line is cut to the terminal width', (t) => {
	const { stream, written } = fakeStream(true);
	const line = statusLine(stream, [stream], {});
	line.set('x'.repeat(100));
	t.is(written.at(-1)!.length, '\r\x1b[K'.length + 39);
	line.stop();
});
