// serverStates in the model: the pure update the appliance service calls (withServerState), CAS n / HUB n to an
// address, and what validation accepts and refuses (named by field path).
import test from 'ava';
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { validateConfig, formatIssue } from '../../../services/config/validate.js';
import { withDefaults } from '../../../services/config/defaults-fill.js';
import { serverAddress, withServerState, ServerRefError } from '../../../services/haproxy/server-states.js';

function config(edit?: (c: Config) => void): Config {
	const c = defaultConfig();
	c.casServers = ['10.0.0.1', '10.0.0.2'];
	c.hubServers = ['10.0.0.9', '10.0.0.2'];
	c.smtp.mode = 'clear';
	edit?.(c);
	return c;
}

function problems(input: unknown): string[] {
	const result = validateConfig(input);
	return result.ok ? [] : result.errors.map(formatIssue);
}

test('withServerState returns a new config and leaves its input alone; ready removes the entry', (t) => {
	const before = config();
	const drained = withServerState(before, '10.0.0.1', 'drain');
	t.deepEqual(drained.serverStates, { '10.0.0.1': 'drain' });
	t.deepEqual(before.serverStates, {}, 'the input is not changed');
	const maint = withServerState(drained, '10.0.0.2', 'maint');
	t.deepEqual(maint.serverStates, { '10.0.0.1': 'drain', '10.0.0.2': 'maint' });
	t.deepEqual(withServerState(maint, '10.0.0.1', 'ready').serverStates, { '10.0.0.2': 'maint' });
	t.true(validateConfig(maint).ok);
	t.throws(() => withServerState(before, '10.0.0.7', 'drain'), { instanceOf: ServerRefError, message: '10.0.0.7 is not a CAS or HUB server of the configuration' });
});

test('CAS n and HUB n are positions in casServers and hubServers; a multi-role server has one address', (t) => {
	const c = config();
	t.is(serverAddress(c, { role: 'cas', index: 2 }), '10.0.0.2');
	t.is(serverAddress(c, { role: 'hub', index: 2 }), '10.0.0.2');
	t.is(serverAddress(c, { role: 'hub', index: 1 }), '10.0.0.9');
	for (const index of [0, 3, 1.5, -1, Number.NaN]) {
		t.throws(() => serverAddress(c, { role: 'cas', index }), { instanceOf: ServerRefError, message: /^cas .* does not exist: casServers has servers 1 to 2$/ });
	}
	t.throws(() => serverAddress(config((x) => { x.hubServers = []; x.smtp.mode = 'disabled'; }), { role: 'hub', index: 1 }), { message: 'hub 1 does not exist: hubServers has no server' });
});

test('serverStates: only CAS or HUB addresses, only drain or maint, each refusal naming its field', (t) => {
	t.deepEqual(problems(config((c) => { c.serverStates = { '10.0.0.9': 'maint', '10.0.0.2': 'drain' }; })), []);
	t.deepEqual(problems(config((c) => { c.serverStates = { '10.0.0.5': 'drain' }; })), [
		'serverStates["10.0.0.5"]: 10.0.0.5 is not a CAS or HUB server (known: 10.0.0.1, 10.0.0.2, 10.0.0.9); remove the entry',
	]);
	t.deepEqual(problems({ ...config(), serverStates: { '10.0.0.1': 'down' } }), ['serverStates["10.0.0.1"]: "down" is not one of drain, maint']);
	t.deepEqual(problems({ ...config(), serverStates: { '10.0.0.1': 'ready' } }), ['serverStates["10.0.0.1"]: "ready" is not one of drain, maint'], 'ready is the absence of an entry');
	t.deepEqual(problems({ ...config(), serverStates: { 'cas1;shutdown': 'drain' } }), ['serverStates["cas1;shutdown"]: unknown key (the keys are server addresses, e.g. "192.168.0.10")']);
	t.deepEqual(problems({ ...config(), serverStates: [] }), ['serverStates: [] is not an object of server address → "drain" or "maint"']);
});

test('every server of a role out of service is a warning; a file without serverStates loads with none', (t) => {
	const result = validateConfig(config((c) => { c.serverStates = { '10.0.0.9': 'maint', '10.0.0.2': 'drain' }; }));
	t.true(result.ok);
	t.deepEqual(result.warnings.map(formatIssue), ['serverStates: every server of hubServers is in drain or maint: new sessions to them are refused']);
	const old = config() as Partial<Config>;
	delete old.serverStates;
	t.deepEqual((withDefaults(old) as Config).serverStates, {});
});
