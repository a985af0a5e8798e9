// `exlb diff`'s comparison, directly: leaf paths as users type them, lists compared whole.
import test from 'ava';
import { differences } from '../../../services/config/diff.js';
import { defaultConfig } from '../../../services/config/schema.js';

test('equal configurations have no difference', (t) => {
	t.deepEqual(differences(defaultConfig(), defaultConfig()), []);
});

test('each changed leaf is one difference, named by its field path', (t) => {
	const running = defaultConfig();
	running.http.casHttpPort = 8080;
	running.ha.role = 'master';
	const byPath = differences(defaultConfig(), running).sort((a, b) => a.path.localeCompare(b.path));
	t.deepEqual(byPath, [
		{ path: 'ha.role', saved: 'disabled', running: 'master' },
		{ path: 'http.casHttpPort', saved: defaultConfig().http.casHttpPort, running: 8080 },
	]);
});

test('a list is compared whole; a key on one side only is a difference with undefined on the other', (t) => {
	t.deepEqual(differences({ casServers: ['10.0.0.1'] }, { casServers: ['10.0.0.1', '10.0.0.2'] }), [
		{ path: 'casServers', saved: ['10.0.0.1'], running: ['10.0.0.1', '10.0.0.2'] },
	]);
	t.deepEqual(differences({ http: {} }, { http: { timeout: 40 } }), [{ path: 'http.timeout', saved: undefined, running: 40 }]);
});
