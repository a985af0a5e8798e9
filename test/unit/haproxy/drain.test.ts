// setServerState() without a running haproxy: the state is recorded in the configuration (its next start loads it)
// and the outcome says haproxy is not running; a server the configuration does not have changes nothing.
import test from 'ava';
import type { Config } from '../../../services/config/schema.js';
import { setServerState, type DrainDeps } from '../../../services/haproxy/drain.js';
import { ServerRefError } from '../../../services/haproxy/server-states.js';
import { captureConfig, cas } from './capture-config.js';

function memoryDeps(): DrainDeps & { config: Config; commits: number } {
	const deps = {
		config: captureConfig((c) => { c.serverStates = {}; }),
		commits: 0,
		async commit(change: (running: Config) => Config) {
			deps.commits++;
			deps.config = change(structuredClone(deps.config));
			return deps.config;
		},
		running: async () => deps.config,
		masterSocket: '/nonexistent/exlb/haproxy-master.sock',
	};
	return deps;
}

test('haproxy not running: drain and maint are recorded, the outcome says so', async (t) => {
	const deps = memoryDeps();
	const drained = await setServerState({ role: 'cas', index: 2, state: 'drain', maintAfterSeconds: 60 }, deps);
	t.like(drained, { role: 'cas', index: 2, address: cas[1], state: 'drain', outcome: 'not-running', sessions: 0, sessionsClosed: 0 });
	t.deepEqual(deps.config.serverStates, { [cas[1]]: 'drain' });
	t.like(await setServerState({ role: 'hub', index: 1, state: 'maint' }, deps), { state: 'maint', outcome: 'not-running' });
	t.like(await setServerState({ role: 'cas', index: 2, state: 'ready' }, deps), { state: 'ready', outcome: 'not-running' });
	t.deepEqual(deps.config.serverStates, { '10.77.0.21': 'maint' });
});

test('a server the configuration does not have is refused, and nothing is committed', async (t) => {
	const deps = memoryDeps();
	const before = structuredClone(deps.config);
	await t.throwsAsync(setServerState({ role: 'cas', index: 4, state: 'drain' }, deps), { instanceOf: ServerRefError, message: 'cas 4 does not exist: casServers has servers 1 to 3' });
	await t.throwsAsync(setServerState({ role: 'hub', index: 0, state: 'maint' }, deps), { instanceOf: ServerRefError });
	t.deepEqual(deps.config, before);
});
