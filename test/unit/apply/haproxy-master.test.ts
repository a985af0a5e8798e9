// `show proc` from haproxy's master CLI, as haproxy 2.6 prints it: which workers are current after a reload.
import test from 'ava';
import { parseShowProc } from '../../../services/apply/haproxy-master.js';

const header = '#<PID>          <type>          <reloads>       <uptime>        <version>      ';

test('the master\'s reloads and the current workers; old workers still draining are not current', (t) => {
	const text = [
		header,
		'10061           master          2 [failed: 0]   0d00h05m03s     2.6.12-1+deb12u4',
		'# workers',
		'10217           worker          0               0d00h00m01s     2.6.12-1+deb12u4',
		'# old workers',
		'10150           worker          1               0d00h02m30s     2.6.12-1+deb12u4',
		'# programs',
		'',
	].join('\n');
	t.deepEqual(parseShowProc(text), { reloads: 2, failed: 0, workers: [10217], oldWorkers: [10150] });
});

test('a failed reload is counted, and a master with no worker has none', (t) => {
	const text = [header, '700             master          3 [failed: 1]   0d00h10m00s     2.6.12-1+deb12u4', '# workers', '# programs', ''].join('\n');
	t.deepEqual(parseShowProc(text), { reloads: 3, failed: 1, workers: [], oldWorkers: [] });
});

test('nothing readable: no reloads, no workers', (t) => {
	t.deepEqual(parseShowProc(''), { reloads: 0, failed: 0, workers: [], oldWorkers: [] });
});
