// The network dialog's state machine, driven directly (no pty): the countdown and its answers.
import test from 'ava';
import { NetworkDialog } from '../../../firstboot/network-dialog.js';

test('the countdown: an SS3 arrow (ESC O D) split across reads never chooses DHCP', (t) => {
	const dialog = new NetworkDialog({ consoles: ['ttyS0'], defaults: { address: '192.168.0.200', netmask: '255.255.255.0', gateway: '' }, countdownSeconds: 10, warnings: true });
	dialog.start();
	t.deepEqual(dialog.input('ttyS0', '\x1bO'), []);
	t.deepEqual(dialog.input('ttyS0', 'D'), []);
	t.false(dialog.finished);
	t.like(dialog.input('ttyS0', 'D'), [{ type: 'write', to: 'ttyS0', text: 'D\r\n' }, { type: 'decided', decision: { kind: 'dhcp', because: 'answer' } }]);
});

test('the countdown: nine ticks redraw in place, the tenth decides DHCP (timeout)', (t) => {
	const dialog = new NetworkDialog({ consoles: ['tty1', 'ttyS0'], defaults: { address: '192.168.0.200', netmask: '255.255.255.0', gateway: '' }, countdownSeconds: 10, warnings: false });
	t.deepEqual(dialog.start().map((effect) => effect.type === 'write' && effect.text), ['Retrieve IP using DHCP or configure static ... 10sec (D/s)? ', 'Retrieve IP using DHCP or configure static ... 10sec (D/s)? ']);
	for (let seconds = 9; seconds >= 1; seconds--) {
		t.deepEqual(dialog.tick(), ['tty1', 'ttyS0'].map((to) => ({ type: 'write', to, text: `\rRetrieve IP using DHCP or configure static ... ${seconds}sec (D/s)? \x1b[K` })));
	}
	t.like(dialog.tick().at(-1), { type: 'decided', decision: { kind: 'dhcp', because: 'timeout' } });
	t.deepEqual(dialog.tick(), [], 'nothing after the decision');
});
