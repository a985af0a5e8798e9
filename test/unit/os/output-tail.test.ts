import test from 'ava';
import { indented, lastLines, oneLine } from '../../../services/os/output-tail.js';

test('lastLines keeps the last lines, without surrounding blank space', (t) => {
	t.is(lastLines('one\ntwo\nthree\nfour\n\n', 2), 'three\nfour');
	t.is(lastLines('\n  only\n', 5), 'only');
	t.is(lastLines('', 3), '');
	t.is(lastLines(' \n\n', 3), '');
});

test('oneLine joins lines with " | "; indented prefixes every line', (t) => {
	t.is(oneLine('a\n  b  \nc'), 'a | b | c');
	t.is(oneLine(''), '');
	t.is(indented('a\nb', '    '), '    a\n    b');
});
