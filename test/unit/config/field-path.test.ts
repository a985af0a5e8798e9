// Field paths as typed on the command line, directly (the CLI tests reach them only through subprocesses).
import test from 'ava';
import { defaultConfig } from '../../../services/config/schema.js';
import { coerceValue, FieldPathError, getAt, parseFieldPath, schemaAt, setAt } from '../../../services/config/field-path.js';

test('a path is dotted names with indexes written [0] or .0; anything else is refused', (t) => {
	t.deepEqual(parseFieldPath('network.routes[0].router'), ['network', 'routes', 0, 'router']);
	t.deepEqual(parseFieldPath('casServers.1'), ['casServers', 1]);
	for (const bad of ['', '.http', 'http..mode', 'http.mode;rm', 'routes[x]', '0.http']) {
		t.throws(() => parseFieldPath(bad), { instanceOf: FieldPathError }, JSON.stringify(bad));
	}
});

test('schemaAt walks objects and lists, and names the first unknown segment with what was expected', (t) => {
	t.is(schemaAt(['http', 'casHttpPort'])['x-kind'], 'port');
	t.is(schemaAt(['network', 'routes', 3, 'router'])['x-kind'], 'ipv4');
	t.throws(() => schemaAt(['http', 'casPort']), { instanceOf: FieldPathError, message: /^http: no field "casPort" here \(expected .*casHttpPort/ });
	t.throws(() => schemaAt(['network', 'routes', 'first']), { message: /^network\.routes: no field "first" here \(expected an index\)$/ });
	t.throws(() => schemaAt(['http', 'casHttpPort', 'x']), { message: /\(expected nothing \(a value\)\)$/ });
});

test('coerceValue gives the JSON type the schema expects, leaving wrong text for validation to name', (t) => {
	t.is(coerceValue(schemaAt(['http', 'casHttpPort']), '8080'), 8080);
	t.is(coerceValue(schemaAt(['http', 'casHttpPort']), 'eighty'), 'eighty');
	t.is(coerceValue(schemaAt(['http', 'services', 'owa']), 'false'), false);
	t.is(coerceValue(schemaAt(['http', 'services', 'owa']), 'no'), 'no');
	t.is(coerceValue(schemaAt(['network', 'vlan']), 'null'), null);
	t.is(coerceValue(schemaAt(['network', 'vlan']), '12'), 12);
	t.deepEqual(coerceValue(schemaAt(['casServers']), '["10.0.0.1","10.0.0.2"]'), ['10.0.0.1', '10.0.0.2']);
	t.throws(() => coerceValue(schemaAt(['casServers']), '10.0.0.1'), { instanceOf: FieldPathError, message: /expected JSON/ });
	t.is(coerceValue(schemaAt(['http', 'hostName']), '42'), '42', 'a string field keeps digits as text');
});

test('setAt returns a changed copy, may append one list entry, and refuses a gap', (t) => {
	const config = defaultConfig();
	const changed = setAt(config, ['http', 'casHttpPort'], 8080);
	t.is(changed.http.casHttpPort, 8080);
	t.is(config.http.casHttpPort, defaultConfig().http.casHttpPort, 'the original is untouched');
	t.deepEqual(setAt(config, ['casServers', 0], '10.0.0.1').casServers, ['10.0.0.1']);
	t.throws(() => setAt(config, ['casServers', 2], '10.0.0.3'), { instanceOf: FieldPathError, message: 'index 2 is past the end of the list (it has 0 entries)' });
	t.throws(() => setAt(config, ['http', 'nope'], 1), { instanceOf: FieldPathError });
	t.is(getAt(changed, ['http', 'casHttpPort']), 8080);
});
