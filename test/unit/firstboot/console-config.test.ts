// The console's save of a network answer, through the appliance service, keeps each record's other settings:
// unsaved running changes stay running.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { ConsoleConfig } from '../../../firstboot/console-config.js';
import { serviceUnderTest } from '../../helpers/appliance-service.js';
import { defaultConfig, type NetworkConfig } from '../../../services/config/schema.js';
import { loadRunningConfig, loadSavedConfig, saveConfig, writeRunningConfig } from '../../../services/config/store.js';
import { appliancePaths } from '../../../services/paths.js';

const staticNetwork = (address: string): NetworkConfig => ({ ...defaultConfig().network, source: 'static', address, netmask: '255.255.255.0', gateway: '10.0.2.2' });

test('saveNetwork keeps an unsaved running change running (it used to replace the running record by the saved one)', async (t) => {
	const { service } = await serviceUnderTest();
	const paths = service.paths;
	await saveConfig({ ...defaultConfig(), casServers: ['10.0.2.21'] }, paths);
	await writeRunningConfig({ ...defaultConfig(), casServers: ['10.0.2.21', '10.0.2.22'] }, paths); // `exlb set`, not saved
	await new ConsoleConfig(service).saveNetwork(staticNetwork('10.0.2.50'));
	const running = await loadRunningConfig(paths);
	const saved = await loadSavedConfig(paths);
	t.deepEqual(running.casServers, ['10.0.2.21', '10.0.2.22']);
	t.is(running.network.address, '10.0.2.50');
	t.deepEqual(saved?.casServers, ['10.0.2.21'], 'the unsaved change is still unsaved');
	t.is(saved?.network.address, '10.0.2.50');
});

test('saveNetwork with nothing saved yet saves the running configuration with the new network', async (t) => {
	const { service } = await serviceUnderTest();
	const paths = service.paths;
	await writeRunningConfig({ ...defaultConfig(), casServers: ['10.0.2.21'] }, paths);
	await new ConsoleConfig(service).saveNetwork(staticNetwork('10.0.2.60'));
	t.deepEqual((await loadSavedConfig(paths))?.casServers, ['10.0.2.21']);
	t.is((await loadSavedConfig(paths))?.network.address, '10.0.2.60');
});

test('a network the running configuration refuses changes neither record', async (t) => {
	const { service } = await serviceUnderTest();
	const paths = service.paths;
	const base = defaultConfig();
	const withHa = { ...base, network: staticNetwork('10.0.2.50'), ha: { ...base.ha, role: 'master' as const, vip: '10.0.2.100' } };
	await saveConfig({ ...base, network: staticNetwork('10.0.2.50') }, paths);
	await writeRunningConfig(withHa, paths);
	const savedBefore = await readFile(paths.savedConfig, 'utf8');
	const runningBefore = await readFile(paths.runningConfig, 'utf8');
	// 192.168.7.0/24 no longer holds the running configuration's VIP 10.0.2.100.
	await t.throwsAsync(new ConsoleConfig(service).saveNetwork({ ...staticNetwork('192.168.7.5'), gateway: '' }), { message: /ha\.vip/ });
	t.is(await readFile(paths.savedConfig, 'utf8'), savedBefore);
	t.is(await readFile(paths.runningConfig, 'utf8'), runningBefore);
});

test('checkNetwork refuses, before anything is applied, a network the configuration refuses, and writes nothing', async (t) => {
	const { service } = await serviceUnderTest();
	const paths = service.paths;
	const base = defaultConfig();
	await writeRunningConfig({ ...base, network: staticNetwork('10.0.2.50'), ha: { ...base.ha, role: 'master' as const, vip: '10.0.2.100' } }, paths);
	const port = new ConsoleConfig(service);
	await t.throwsAsync(port.checkNetwork({ ...staticNetwork('192.168.7.5'), gateway: '' }), { message: /ha\.vip/ });
	await t.notThrowsAsync(port.checkNetwork(staticNetwork('10.0.2.51')));
	t.is(await loadSavedConfig(paths), null);
});
