import test from 'ava';
import { listenPorts } from '../../../services/apply/converge.js';

test('listening ports are read from rendered haproxy and stunnel files (unix sockets are not ports)', (t) => {
	const haproxy = 'frontend a\n    bind :443\n    bind 10.0.0.1:80\n    bind unix@/run/exlb/sockets/tls-https.sock accept-proxy mode 666\n';
	t.deepEqual([...listenPorts('haproxy', haproxy)].sort(), [443, 80].sort());
	t.deepEqual([...listenPorts('stunnel-https', '[https]\naccept = 443\n[imaps]\naccept = 127.0.0.1:993\n')], [443, 993]);
	t.deepEqual([...listenPorts('stunnel-https', null)], []);
});
