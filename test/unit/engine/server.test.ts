// The engine socket with the real appliance service behind it: only root and allowed users get in (the kernel's
// peer credentials), requests are checked against the protocol before anything runs, and two concurrent changes
// are applied one after the other so neither is lost. A stream operation (a firmware bundle) has its body on a
// connection of its own; a refusal is answered before the body ends, and the rest of the body is left to the caller.
import { chmod, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import test from 'ava';
import { waitFor } from '../../../services/apply/wait.js';
import { execa } from 'execa';
import { EngineClient, EngineProblem } from '../../../services/engine/client.js';
import { engineHandlers } from '../../../services/engine/handlers.js';
import { ApplianceProblem } from '../../../services/appliance/problems.js';
import { EngineServer } from '../../../services/engine/server.js';
import { maxRequestBytes } from '../../../services/engine/protocol.js';
import { loadRunningConfig } from '../../../services/config/store.js';
import { serviceUnderTest, webActor } from '../../helpers/appliance-service.js';
import type { ApplianceDeps } from '../../../services/appliance/service.js';
import { makeBundle, newKey, streamOf, tempDir } from '../../helpers/firmware-bundles.js';
import { makeTestPlatform } from '../../helpers/firmware-platform.js';

async function engineUnderTest(t: import('ava').ExecutionContext, allowedUids: number[] = [], overrides: Partial<ApplianceDeps> = {}) {
	const { service } = await serviceUnderTest({ lockWaitMs: 30_000, ...overrides });
	const refused = async (): Promise<never> => {
		throw new ApplianceProblem('failed', 'not part of this test');
	};
	const logs: string[] = [];
	const socketPath = path.join(await mkdtemp(path.join(tmpdir(), 'exlb-engine-')), 'engine.sock');
	const server = new EngineServer(engineHandlers(service, {
		'auth.login': refused, 'auth.changePassword': refused, 'tokens.list': refused, 'tokens.create': refused, 'tokens.revoke': refused, 'tokens.verify': refused,
	}, { 'status.get': refused, 'status.history': refused, 'servers.setState': refused }, {
		'ha.status': refused, 'ha.offer': refused, 'ha.pair': refused, 'ha.unpair': refused, 'ha.sync': refused, 'ha.settings': refused,
	}), { socketPath, allowedUids, socketGid: null, log: (line) => logs.push(line) });
	await server.listen();
	const client = new EngineClient(socketPath, 60_000);
	t.teardown(async () => {
		client.close();
		await server.close();
	});
	return { service, client, socketPath, logs };
}

test('two concurrent changes from two connections are both applied, one after the other', async (t) => {
	const { service, client, socketPath } = await engineUnderTest(t);
	const other = new EngineClient(socketPath, 60_000);
	t.teardown(() => other.close());
	const [first, second] = await Promise.all([
		client.call('config.patch', { patch: { casServers: ['10.0.0.15', '10.0.0.16'] } }, webActor),
		other.call('config.patch', { patch: { http: { hostName: 'mail.xlc.local' } } }, webActor),
	]);
	t.not(first.etag, second.etag);
	const running = await loadRunningConfig(service.paths);
	t.deepEqual(running.casServers, ['10.0.0.15', '10.0.0.16']);
	t.is(running.http.hostName, 'mail.xlc.local');
});

test('the same If-Match on two concurrent changes: one is applied, the other is a conflict', async (t) => {
	const { client } = await engineUnderTest(t);
	const { etag } = await client.call('config.get', { source: 'running' }, webActor);
	const outcomes = await Promise.allSettled([
		client.call('config.patch', { patch: { casServers: ['10.0.0.1'] }, ifMatch: etag! }, webActor),
		client.call('config.patch', { patch: { casServers: ['10.0.0.2'] }, ifMatch: etag! }, webActor),
	]);
	t.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'rejected']);
	const rejected = outcomes[1] as PromiseRejectedResult;
	t.true(rejected.reason instanceof EngineProblem);
	t.is((rejected.reason as EngineProblem).problem.kind, 'conflict');
});

test('an unknown operation, a bad actor and bad parameters are refused by name before anything runs', async (t) => {
	const { client } = await engineUnderTest(t);
	const unknown = await t.throwsAsync(client.call('config.delete' as 'config.save', {}, webActor), { instanceOf: EngineProblem });
	t.regex(unknown.message, /unknown operation "config.delete"/);
	const bad = await t.throwsAsync(client.call('config.get', { source: 'backup' as 'saved', extra: 1 } as never, { ...webActor, address: '1.2.3.4; rm -rf /' }), { instanceOf: EngineProblem });
	t.is(bad.problem.kind, 'invalid');
	const paths = (bad.problem.errors ?? []).map((error) => error.path);
	t.true(paths.includes('actor.address'));
	t.true(paths.includes('source'));
	t.true(paths.some((entry) => entry === '' || entry === 'extra'), 'the unknown key is named');
});

test('a user the engine does not allow is refused at connection time by its peer credentials', async (t) => {
	const { socketPath, logs, client } = await engineUnderTest(t);
	await chmod(path.dirname(socketPath), 0o755);
	await chmod(socketPath, 0o666); // the file permissions would stop nobody first: open them to reach the second gate
	const script = `const s=require('net').connect(${JSON.stringify(socketPath)});s.on('connect',()=>s.write(JSON.stringify({id:1,op:'config.get',actor:{user:'x',address:'',via:'web'},params:{source:'running'}})+'\\n'));s.on('data',(d)=>{process.stdout.write(String(d));});s.on('close',()=>process.stdout.write('closed'));s.on('error',()=>{})`;
	const result = await execa('node', ['-e', script], { uid: 65534, gid: 65534, timeout: 20_000 });
	t.is(result.stdout, 'closed', 'no answer, the connection was closed');
	t.true(logs.some((line) => /refused a connection from uid 65534/.test(line)), logs.join('\n'));
	t.truthy(await client.call('config.get', { source: 'running' }, webActor), 'root is still served');
});

test('a request line longer than the limit closes the connection', async (t) => {
	const { socketPath, logs } = await engineUnderTest(t);
	const socket = net.connect(socketPath);
	const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
	socket.on('error', () => {});
	socket.write('x'.repeat(maxRequestBytes + 64 * 1024));
	await closed;
	t.true(logs.some((line) => /longer than/.test(line)));
});

async function firmwareEngine(t: import('ava').ExecutionContext) {
	const dir = await tempDir(t);
	const key = newKey();
	const platform = await makeTestPlatform(path.join(dir, 'platform'), [key]);
	return { dir, key, platform, ...(await engineUnderTest(t, [], { firmwarePlatform: () => platform.platform })) };
}

test('a bundle streamed over its own connection is installed; the shared connection keeps answering meanwhile', async (t) => {
	const { dir, key, client } = await firmwareEngine(t);
	const bundle = await readFile((await makeBundle(dir, key, { payloadBytes: 600_000 })).file);
	const upload = new PassThrough();
	const installing = client.stream('firmware.install', {}, webActor, upload);
	upload.write(bundle.subarray(0, 100_000));
	await waitFor('the install to be verified', 10_000, async () => (await client.call('firmware.status', {}, webActor)).install?.steps.length === 1);
	t.truthy(await client.call('config.get', { source: 'running' }, webActor), 'a read is answered during the install');
	upload.end(bundle.subarray(100_000));
	const status = await installing;
	t.like(status, { next: 'B' });
	t.like(status.install, { state: 'done', bytes: bundle.length, version: '1.1.0' });
});

test('a refused bundle is answered before its body ends; the body is no longer read', async (t) => {
	const { dir, client, platform } = await firmwareEngine(t);
	const before = await platform.bootStateText();
	const foreign = await readFile((await makeBundle(dir, newKey(), { payloadBytes: 4_000_000 })).file);
	const upload = new PassThrough();
	const answer = client.stream('firmware.install', {}, webActor, upload).then(() => 'installed', (error: unknown) => error);
	let written = 0;
	// Written as fast as it is read (backpressure), until the engine answers: its refusal does not wait for the rest.
	let refused: unknown = 'pending';
	void answer.then((outcome) => { refused = outcome; });
	while (refused === 'pending' && written < foreign.length) {
		const chunk = foreign.subarray(written, written + 16_384);
		written += chunk.length;
		if (!upload.write(chunk)) await Promise.race([once(upload, 'drain'), answer]);
	}
	refused = await answer;
	t.true(refused instanceof EngineProblem, String(refused));
	t.is((refused as EngineProblem).problem.kind, 'invalid');
	t.regex((refused as EngineProblem).problem.message, /not a signature of the manifest by a trusted key/);
	t.true(written < foreign.length, `answered after ${written} of ${foreign.length} bytes`);
	t.is(await platform.bootStateText(), before);
});

test('a stream operation is never sent on the shared connection; a second install while one runs is busy', async (t) => {
	const { dir, key, client } = await firmwareEngine(t);
	await t.throwsAsync(client.call('firmware.install', {}, webActor), { instanceOf: TypeError, message: /firmware\.install is a stream operation: its body goes with stream\(\)/ });
	const bundle = await readFile((await makeBundle(dir, key)).file);
	const upload = new PassThrough();
	const first = client.stream('firmware.install', {}, webActor, upload);
	upload.write(bundle.subarray(0, 50_000));
	await waitFor('the first install to be verified', 10_000, async () => (await client.call('firmware.status', {}, webActor)).install?.steps.length === 1);
	const busy = await t.throwsAsync(client.stream('firmware.install', {}, webActor, streamOf(bundle)), { instanceOf: EngineProblem });
	t.is(busy!.problem.kind, 'busy');
	t.is(busy!.problem.retryAfterSeconds, 30);
	upload.end(bundle.subarray(50_000));
	t.like((await first).install, { state: 'done' });
});
