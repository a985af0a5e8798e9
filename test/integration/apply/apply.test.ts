// apply() with the real daemons (ProcessController) in a temp root: start, reload of only what changed,
// traffic through stunnel → haproxy (PROXY protocol), and a refused render that leaves everything untouched.
import test from 'ava';
import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { appliancePaths } from '../../../services/paths.js';
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { localRenderEnv } from '../../../services/render/env.js';
import { apply, ProcessController, RenderCheckError, ApplyError } from '../../../services/apply/index.js';
import { masterState } from '../../../services/apply/haproxy-master.js';
import { freePorts } from '../../helpers/free-port.js';

const root = await mkdtemp(path.join(tmpdir(), 'exlb-apply-'));
const paths = appliancePaths(root);
const env = localRenderEnv(path.join(root, 'run/exlb'), { certDir: paths.certDir });
const controller = new ProcessController({ renderDir: paths.renderDir, env });
const [httpsPort, httpPort, imapPort] = await freePorts(3);

test.after.always(async () => {
	await controller.stopAll();
	await rm(root, { recursive: true, force: true });
});

function config(): Config {
	const value = defaultConfig();
	value.casServers = ['127.0.0.1'];
	value.exchangeVersion = '2013+';
	value.http.mode = 'ssl-offload';
	value.http.virtualHttpsPort = httpsPort!;
	value.http.redirectHttpPort = httpPort!;
	value.http.casHttpPort = 9; // nothing listens: the CAS is down, haproxy still answers redirects itself
	value.imap.mode = 'clear';
	value.imap.virtualClearPort = imapPort!;
	return value;
}

function get(url: string): Promise<{ status: number; location: string | undefined }> {
	const client = url.startsWith('https:') ? https : http;
	return new Promise((resolve, reject) => {
		client.get(url, { rejectUnauthorized: false, headers: { Host: 'mail.example.com' } }, (response) => {
			response.resume();
			resolve({ status: response.statusCode!, location: response.headers.location });
		}).on('error', reject);
	});
}

test.serial('first apply starts haproxy and stunnel; TLS is ended by stunnel and served by haproxy', async (t) => {
	const result = await apply(config(), { paths, env, controller });
	t.deepEqual(result.started, ['haproxy', 'stunnel-https']);
	t.deepEqual(result.stopped, []);
	t.regex(await readlink(paths.renderDir), /^rendered\.\d+-[0-9a-f]+$/);
	t.deepEqual(JSON.parse(await readFile(paths.runningConfig, 'utf8')), config());
	t.deepEqual(await get(`https://127.0.0.1:${httpsPort}/`), { status: 302, location: '/owa/' });
	t.deepEqual(await get(`http://127.0.0.1:${httpPort}/owa/x`), { status: 301, location: `https://mail.example.com:${httpsPort}/owa/x` });
});

test.serial('a change to haproxy only reloads haproxy (new worker, same master) and leaves stunnel alone', async (t) => {
	const before = await masterState(env.haproxyMasterSocket);
	const stunnelPid = controller.pid('stunnel-https');
	const changed = config();
	changed.imap.timeout = 99;
	const result = await apply(changed, { paths, env, controller });
	t.deepEqual(result.reloaded, ['haproxy']);
	t.deepEqual(result.unchanged, ['stunnel-https']);
	const after = await masterState(env.haproxyMasterSocket);
	t.true(after.reloads > before.reloads);
	t.false(after.workers.some((pid) => before.workers.includes(pid)));
	t.is(controller.pid('stunnel-https'), stunnelPid);
	t.regex(await readFile(path.join(paths.renderDir, 'haproxy.cfg'), 'utf8'), /timeout client 99s/);
	t.deepEqual(await get(`https://127.0.0.1:${httpsPort}/`), { status: 302, location: '/owa/' });
});

test.serial('a render refused by a checker changes nothing and names the field and the line', async (t) => {
	const link = await readlink(paths.renderDir);
	const running = await readFile(paths.runningConfig, 'utf8');
	const bad = config();
	bad.certificates = [{ name: 'corp', commonName: 'mail.example.com', notBefore: '2024-01-01T00:00:00Z', notAfter: '2099-01-01T00:00:00Z', selfSigned: false, fingerprint: Array(32).fill('AB').join(':') }];
	bad.http.certificate = 'corp'; // in the model, but its file was never imported
	const error = await t.throwsAsync(apply(bad, { paths, env, controller }), { instanceOf: RenderCheckError });
	t.is(error!.problems[0]!.field, 'http.certificate');
	t.regex(error!.message, /http\.certificate: stunnel refused stunnel-https\.conf line \d+: .*corp\.pem/);
	t.is(await readlink(paths.renderDir), link);
	t.is(await readFile(paths.runningConfig, 'utf8'), running);
	t.true(await controller.isRunning('stunnel-https'));
	t.deepEqual(await get(`https://127.0.0.1:${httpsPort}/`), { status: 302, location: '/owa/' });
});

test.serial('disabling the offloaded service stops stunnel', async (t) => {
	const forward = config();
	forward.http.mode = 'disabled';
	const result = await apply(forward, { paths, env, controller });
	t.deepEqual(result.stopped, ['stunnel-https']);
	t.deepEqual(result.reloaded, ['haproxy']);
	t.false(await controller.isRunning('stunnel-https'));
});

test.serial('a daemon that fails after the checks (port taken) gets the previous render dir back and keeps serving', async (t) => {
	const working = config();
	working.http.mode = 'ssl-offload';
	await apply(working, { paths, env, controller });
	const link = await readlink(paths.renderDir);
	const running = await readFile(paths.runningConfig, 'utf8');
	const [taken] = await freePorts(1);
	const blocker = net.createServer().listen(taken, '127.0.0.1');
	await once(blocker, 'listening');
	try {
		const clash = config();
		clash.pop3.mode = 'clear';
		clash.pop3.virtualClearPort = taken!; // valid for the model and for haproxy -c, but cannot be bound
		const error = await t.throwsAsync(apply(clash, { paths, env, controller }), { instanceOf: ApplyError });
		t.regex(error!.message, /could not reload haproxy: the new worker failed to start/);
		t.is(await readlink(paths.renderDir), link);
		t.is(await readFile(paths.runningConfig, 'utf8'), running);
		t.deepEqual(await get(`https://127.0.0.1:${httpsPort}/`), { status: 302, location: '/owa/' });
	} finally {
		blocker.close();
	}
});

test.serial('a port moving between stunnel and haproxy (ssl-offload ⇄ ssl-forward) is handed over', async (t) => {
	const [imapsPort] = await freePorts(1);
	const withImaps = (mode: 'clear-and-ssl-offload' | 'clear-and-ssl-forward') => {
		const value = config();
		value.imap.mode = mode;
		value.imap.virtualSslPort = imapsPort!;
		return value;
	};
	await apply(withImaps('clear-and-ssl-offload'), { paths, env, controller });
	const toHaproxy = await apply(withImaps('clear-and-ssl-forward'), { paths, env, controller });
	t.deepEqual(toHaproxy.stopped, ['stunnel-imaps']);
	t.deepEqual(toHaproxy.started, []);
	t.deepEqual(toHaproxy.reloaded, ['haproxy']);
	const back = await apply(withImaps('clear-and-ssl-offload'), { paths, env, controller });
	t.deepEqual(back.reloaded, ['haproxy']);
	t.deepEqual(back.started, ['stunnel-imaps']);
	t.deepEqual(back.unchanged, ['stunnel-https'], 'the HTTPS stunnel is not touched by IMAP changes');
	t.deepEqual(await get(`https://127.0.0.1:${httpsPort}/`), { status: 302, location: '/owa/' });
});
