// The stunnel and keepalived checkers run the real daemons: stunnel starts (in an empty network namespace when
// root) and keepalived -t needs its interface, so it runs in a namespace holding eth0. Needs root.
import test from 'ava';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderAll, localRenderEnv } from '../../../services/render/index.js';
import { offloadConfig } from '../../helpers/offload-config.js';
import { checkStunnel, checkKeepalived } from '../../../services/apply/checkers.js';
import { generateSelfSigned } from '../../../services/certs/self-signed.js';
import { namespaceWithEth0 } from '../../helpers/netns.js';

const dir = await mkdtemp(path.join(tmpdir(), 'exlb-daemon-checkers-'));
const env = localRenderEnv(dir);

test('stunnel: a missing certificate file is blamed on the service\'s certificate field', async (t) => {
	const files = renderAll(offloadConfig(), localRenderEnv(dir, { certDir: path.join(dir, 'no-certs') }));
	const file = path.join(dir, 'stunnel-missing.conf');
	await writeFile(file, files.stunnel['stunnel-https.conf']!);
	const [problem] = await checkStunnel(file, { lineFields: files.lineFields['stunnel-https.conf'] });
	t.is(problem?.field, 'http.certificate');
	t.regex(problem!.text!, /^cert = .*self-signed\.pem$/);
});

test('stunnel: a good configuration passes, an unknown option is reported by line', async (t) => {
	await mkdir(env.certDir, { recursive: true });
	await generateSelfSigned('mail.example.com', path.join(env.certDir, 'self-signed.pem'));
	const files = renderAll(offloadConfig(), env);
	const file = path.join(dir, 'stunnel.conf');
	await writeFile(file, files.stunnel['stunnel-https.conf']!);
	t.deepEqual(await checkStunnel(file), []);
	const bad = path.join(dir, 'stunnel-bad.conf');
	await writeFile(bad, files.stunnel['stunnel-https.conf']!.replace('accept = ', 'acept = '));
	const [problem] = await checkStunnel(bad, { lineFields: files.lineFields['stunnel-https.conf'] });
	t.like(problem, { daemon: 'stunnel', field: 'http.virtualHttpsPort', text: 'acept = 127.0.0.1:443' });
});

test('keepalived: an out-of-range value is reported by line', async (t) => {
	const config = offloadConfig();
	config.ha.role = 'master';
	config.ha.vip = '192.168.0.201';
	const files = renderAll(config, localRenderEnv(dir, { interface: 'eth0' }));
	const netns = `exlb-checkers-${process.pid}`;
	const remove = await namespaceWithEth0(netns);
	try {
		const good = path.join(dir, 'keepalived-good.conf');
		await writeFile(good, files['keepalived.conf']!);
		t.deepEqual(await checkKeepalived(good, { netns }), []);
		const file = path.join(dir, 'keepalived.conf');
		await writeFile(file, files['keepalived.conf']!.replace('virtual_router_id 51', 'virtual_router_id 300'));
		const problems = await checkKeepalived(file, { lineFields: files.lineFields['keepalived.conf'], netns });
		t.like(problems[0], { daemon: 'keepalived', field: 'ha.clusterId', text: '    virtual_router_id 300' });
	} finally {
		await remove();
	}
});
