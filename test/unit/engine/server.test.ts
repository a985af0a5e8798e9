// The engine socket with the real appliance service behind it: only root and allowed users get in (the kernel's
// peer credentials), requests are checked against the protocol before anything runs, and two concurrent changes
// are applied one after the other so neither is lost.
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import test from 'ava';
import { execa } from 'execa';
import { EngineClient, EngineProblem } from '../../../services/engine/client.js';
import { engineHandlers } from '../../../services/engine/handlers.js';
import { ApplianceProblem } from '../../../services/appliance/problems.js';
import { EngineServer } from '../../../services/engine/server.js';
import { maxRequestBytes } from '../../../services/engine/protocol.js';
import { loadRunningConfig } from '../../../services/config/store.js';
import { serviceUnderTest, webActor } from '../../helpers/appliance-service.js';

async function engineUnderTest(t: import('ava').ExecutionContext, allowedUids: number[] = []) {
	const { service } = await serviceUnderTest({ lockWaitMs: 30_000 });
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
