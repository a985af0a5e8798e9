import test from 'ava';
import { converge, listenPorts } from '../../../services/apply/converge.js';
import type { ServiceController } from '../../../services/apply/controller.js';
import type { DaemonTexts } from '../../../services/apply/render-dir.js';
import { allDaemons, type Daemon } from '../../../services/render/daemons.js';

test('listening ports are read from rendered haproxy and stunnel files (unix sockets are not ports)', (t) => {
	const haproxy = 'frontend a\n    bind :443\n    bind 10.0.0.1:80\n    bind unix@/run/exlb/sockets/tls-https.sock accept-proxy mode 666\n';
	t.deepEqual([...listenPorts('haproxy', haproxy)].sort(), [443, 80].sort());
	t.deepEqual([...listenPorts('stunnel-https', '[https]\naccept = 443\n[imaps]\naccept = 127.0.0.1:993\n')], [443, 993]);
	t.deepEqual([...listenPorts('stunnel-https', null)], []);
});

/** A controller that records every call, in order ("prepare" included), with `running` as the daemons' state. */
function recordingController(running: Iterable<Daemon>) {
	const up = new Set(running);
	const calls: string[] = [];
	const controller: ServiceController = {
		start: async (daemon) => { calls.push(`start ${daemon}`); up.add(daemon); },
		reload: async (daemon) => { calls.push(`reload ${daemon}`); },
		stop: async (daemon) => { calls.push(`stop ${daemon}`); up.delete(daemon); },
		isRunning: async (daemon) => up.has(daemon),
	};
	const prepare = async (daemon: Daemon) => { calls.push(`prepare ${daemon}`); };
	return { controller, prepare, calls };
}

const texts = (given: Partial<DaemonTexts>): DaemonTexts => ({ ...Object.fromEntries(allDaemons.map((daemon) => [daemon, null])), ...given }) as DaemonTexts;

const haproxyOn443 = 'frontend https\n    bind :443\n';
const haproxyOnSocket = 'frontend https\n    bind unix@/run/exlb/sockets/tls-https.sock accept-proxy\n';
const stunnelOn443 = '[https]\naccept = 443\n';

test('from nothing: haproxy starts first, then stunnel, then keepalived, each prepared just before', async (t) => {
	const { controller, prepare, calls } = recordingController([]);
	const after = texts({ haproxy: haproxyOnSocket, 'stunnel-https': stunnelOn443, keepalived: 'vrrp_instance VI_1 {}\n' });
	const result = await converge(controller, texts({}), after, prepare);
	t.deepEqual(calls, ['prepare haproxy', 'start haproxy', 'prepare stunnel-https', 'start stunnel-https', 'prepare keepalived', 'start keepalived']);
	t.deepEqual(result, { started: ['haproxy', 'stunnel-https', 'keepalived'], reloaded: [], stopped: [], unchanged: [] });
});

test('only the daemon whose file changed is reloaded; a file gone stops its daemon', async (t) => {
	const before = texts({ haproxy: haproxyOnSocket, 'stunnel-https': stunnelOn443, 'stunnel-imaps': '[imaps]\naccept = 993\n' });
	const { controller, prepare, calls } = recordingController(['haproxy', 'stunnel-https', 'stunnel-imaps']);
	const after = texts({ haproxy: `${haproxyOnSocket}    timeout client 40s\n`, 'stunnel-https': stunnelOn443 });
	const result = await converge(controller, before, after, prepare);
	t.deepEqual(calls, ['prepare haproxy', 'reload haproxy', 'stop stunnel-imaps']);
	t.deepEqual(result, { started: [], reloaded: ['haproxy'], stopped: ['stunnel-imaps'], unchanged: ['stunnel-https'] });
});

test('ssl-offload → ssl-forward: stunnel lets go of 443 before haproxy is reloaded to bind it', async (t) => {
	const { controller, prepare, calls } = recordingController(['haproxy', 'stunnel-https']);
	const result = await converge(controller, texts({ haproxy: haproxyOnSocket, 'stunnel-https': stunnelOn443 }), texts({ haproxy: haproxyOn443 }), prepare);
	t.deepEqual(calls, ['stop stunnel-https', 'prepare haproxy', 'reload haproxy']);
	t.deepEqual(result.stopped, ['stunnel-https'], 'stopped once, not again in the main pass');
});

test('ssl-forward → ssl-offload: haproxy is reloaded off 443 before stunnel starts on it', async (t) => {
	const { controller, prepare, calls } = recordingController(['haproxy']);
	await converge(controller, texts({ haproxy: haproxyOn443 }), texts({ haproxy: haproxyOnSocket, 'stunnel-https': stunnelOn443 }), prepare);
	t.deepEqual(calls, ['prepare haproxy', 'reload haproxy', 'prepare stunnel-https', 'start stunnel-https']);
});

test('a daemon whose startup is manual is not started by an apply, but reloaded while it runs', async (t) => {
	const manual = new Set<Daemon>(['stunnel-https']);
	const { controller, prepare, calls } = recordingController([]);
	const after = texts({ haproxy: haproxyOnSocket, 'stunnel-https': stunnelOn443 });
	const first = await converge(controller, texts({}), after, prepare, manual);
	t.deepEqual(first.started, ['haproxy']);
	t.deepEqual(first.unchanged, ['stunnel-https']);
	const started = recordingController(['haproxy', 'stunnel-https']);
	const second = await converge(started.controller, after, texts({ haproxy: haproxyOnSocket, 'stunnel-https': '[https]\naccept = 8443\n' }), started.prepare, manual);
	t.deepEqual(second.reloaded, ['stunnel-https']);
	t.deepEqual(calls, ['prepare haproxy', 'start haproxy']);
});
