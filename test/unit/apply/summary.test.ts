import test from 'ava';
import { daemonChanges } from '../../../services/apply/summary.js';

test('daemonChanges names started, reloaded and stopped daemons in that order, skipping empty lists', (t) => {
	t.deepEqual(daemonChanges({ started: ['stunnel-https'], reloaded: ['haproxy', 'keepalived'], stopped: ['stunnel-smtps'] }),
		['started stunnel-https', 'reloaded haproxy, keepalived', 'stopped stunnel-smtps']);
	t.deepEqual(daemonChanges({ started: [], reloaded: ['haproxy'], stopped: [] }), ['reloaded haproxy']);
	t.deepEqual(daemonChanges({ started: [], reloaded: [], stopped: [] }), []);
});
