import test from 'ava';
import { causeChain } from '../../services/cause-chain.js';

test('causeChain lists the message, then every Error cause in order', (t) => {
	const root = new Error('EACCES: permission denied');
	const middle = new Error('systemctl reload haproxy.service exited with 1', { cause: root });
	t.is(causeChain(new Error('could not reload haproxy', { cause: middle })),
		'could not reload haproxy\n  caused by: systemctl reload haproxy.service exited with 1\n  caused by: EACCES: permission denied');
});

test('causeChain stops at a cause that is not an Error, and explains non-Errors', (t) => {
	t.is(causeChain(new Error('outer', { cause: { exitCode: 1 } })), 'outer');
	t.is(causeChain('plain text'), 'plain text');
	t.is(causeChain(undefined), 'undefined');
});
