import test from 'ava';
import { readFile } from 'node:fs/promises';
import AjvModule from 'ajv';
import { defaultConfig, ConfigSchema } from '../../../services/config/schema.js';
import { jsonSchemaText } from '../../../services/config/json-schema.js';
import { validateConfig } from '../../../services/config/validate.js';

test('the factory defaults are the original appliance\'s and pass validation', (t) => {
	const config = defaultConfig();
	t.like(config, {
		network: { source: 'factory', address: '192.168.0.200', netmask: '255.255.255.0', gateway: '', vlan: null, routes: [] },
		ha: { role: 'disabled' },
		exchangeVersion: '2010',
		http: { virtualHttpsPort: 443, redirectHttpPort: 80, casHttpPort: 80, casHttpsPort: 443, timeout: 25 },
		imap: { mode: 'disabled', virtualClearPort: 143, virtualSslPort: 993 },
		pop3: { mode: 'disabled', virtualClearPort: 110, virtualSslPort: 995 },
		smtp: { mode: 'disabled', virtualClearPort: 25, virtualSslPort: 587 },
		rpc: { mode: 'enabled', endpointMapperPort: 135, clientAccessPort: 60000, addressBookPort: 60001 },
	});
	const result = validateConfig(config);
	t.true(result.ok);
});

test('defaultConfig returns a fresh object each time', (t) => {
	const a = defaultConfig();
	a.casServers.push('10.0.0.1');
	a.network.routes.push({ network: '10.0.0.0', netmask: '255.0.0.0', router: '192.168.0.1' });
	t.deepEqual(defaultConfig().casServers, []);
	t.deepEqual(defaultConfig().network.routes, []);
});

test('the committed exlb.schema.json is generated from the TypeBox schema', async (t) => {
	const committed = await readFile(new URL('../../../services/config/exlb.schema.json', import.meta.url), 'utf8');
	t.is(committed, jsonSchemaText(), 'run: node --import=tsx services/config/write-json-schema.ts');
});

test('the published JSON Schema accepts the defaults and refuses what validateConfig refuses (with a standard validator)', (t) => {
	const Ajv = AjvModule.default;
	const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
	const check = ajv.compile(JSON.parse(jsonSchemaText()));
	t.true(check(defaultConfig()), JSON.stringify(check.errors));
	const bad = defaultConfig() as unknown as { http: { casHttpPort: number }; network: { hostname: string; extra?: number } };
	bad.http.casHttpPort = 70000;
	bad.network.hostname = 'evil\n  bind :1';
	t.false(check(bad));
	t.true(check.errors!.some((error) => error.instancePath === '/http/casHttpPort'));
	t.true(check.errors!.some((error) => error.instancePath === '/network/hostname'));
	t.truthy(ConfigSchema.properties.network.properties.hostname.description);
});
