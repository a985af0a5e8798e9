// The menu's answer parsing, directly (the pty tests type a few of these).
import test from 'ava';
import { menuActions, parseMenuChoice } from '../../../firstboot/menu.js';

test('1 to 6 choose the entries in menu order, with spaces around them ignored', (t) => {
	t.deepEqual(menuActions.map((_, index) => parseMenuChoice(` ${index + 1} `)), menuActions.map((action) => ({ action })));
});

test('an empty answer redraws the menu', (t) => {
	t.deepEqual(parseMenuChoice(''), { action: 'redraw' });
	t.deepEqual(parseMenuChoice('   '), { action: 'redraw' });
});

test('anything else is refused with the answer quoted and the range', (t) => {
	for (const answer of ['0', '7', '01x', 'x', '1 2', '-1', '1.0']) {
		t.deepEqual(parseMenuChoice(answer), { problem: `${JSON.stringify(answer)} is not a choice: answer 1 to 6` }, answer);
	}
});
