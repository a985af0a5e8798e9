// bringUpStatic: a static answer the rest of the configuration refuses is never applied (it used to be applied,
// then refused at the save, leaving the appliance on an address nothing records).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { ConsoleConfig } from '../../../firstboot/console-config.js';
import { serviceUnderTest } from '../../helpers/appliance-service.js';
import type { NetworkBackend } from '../../../firstboot/network-backend.js';
import { bringUpStatic } from '../../../firstboot/network-flow.js';
import { defaultConfig, type NetworkConfig } from '../../../services/config/schema.js';
import { loadSavedConfig, writeRunningConfig } from '../../../services/config/store.js';
import { appliancePaths } from '../../../services/paths.js';

class RecordingBackend implements NetworkBackend {
	readonly applied: NetworkConfig[] = [];
	async apply(network: NetworkConfig): Promise<void> {
		this.applied.push(network);
	}
	async waitForLease(): Promise<string | null> {
		return null;
	}
	async addresses(): Promise<string[]> {
		return [];
	}
}

test('a static network that leaves the HA VIP outside its subnet is refused before it is applied, with the reason', async (t) => {
	const { service } = await serviceUnderTest();
	const paths = service.paths;
	const base = defaultConfig();
	const network: NetworkConfig = { ...base.network, source: 'static', address: '10.0.2.50', netmask: '255.255.255.0', gateway: '' };
	await writeRunningConfig({ ...base, network, ha: { ...base.ha, role: 'master', vip: '10.0.2.100' } }, paths);
	const backend = new RecordingBackend();
	const said: string[] = [];
	const ok = await bringUpStatic(network, { address: '192.168.7.5', netmask: '255.255.255.0', gateway: '' }, { backend, config: new ConsoleConfig(service), say: (line) => said.push(line) }, true);
	t.false(ok);
	t.deepEqual(backend.applied, []);
	t.regex(said.join('\n'), /^The configuration cannot be used: .*ha\.vip/m);
	t.is(await loadSavedConfig(paths), null);
	const accepted = await bringUpStatic(network, { address: '10.0.2.51', netmask: '255.255.255.0', gateway: '' }, { backend, config: new ConsoleConfig(service), say: (line) => said.push(line) }, true);
	t.true(accepted);
	t.is(backend.applied.length, 1);
	t.is((await loadSavedConfig(paths))?.network.address, '10.0.2.51');
});
