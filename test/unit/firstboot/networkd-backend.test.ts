// The console's network back end: settings go to the appliance service (no networkd writer of its own), a refusal
// comes back naming the step and the reason; the DHCP rendering leaves lease renewal to networkd. Reading
// addresses and leases from a real interface is in test/integration/firstboot/networkd-leases.test.ts.
import test from 'ava';
import { defaultConfig, type NetworkConfig } from '../../../services/config/schema.js';
import { ConfigValidationError } from '../../../services/config/issues.js';
import { renderNetworkd } from '../../../services/render/networkd.js';
import { systemClock } from '../../../firstboot/clock.js';
import { NetworkApplyError } from '../../../firstboot/network-backend.js';
import { NetworkdBackend } from '../../../firstboot/networkd-backend.js';

test('apply hands the settings to the appliance service; its refusal is a NetworkApplyError that keeps the reason', async (t) => {
	const applied: NetworkConfig[] = [];
	const network = { ...defaultConfig().network, source: 'static' as const, address: '10.0.2.50', netmask: '255.255.255.0', gateway: '10.0.2.2' };
	await new NetworkdBackend(async (settings) => void applied.push(settings), systemClock).apply(network);
	t.deepEqual(applied, [network]);
	const refusal = new ConfigValidationError([{ path: 'ha.vip', value: '10.0.9.9', message: 'not in the subnet' }]);
	const error = await t.throwsAsync(new NetworkdBackend(async () => { throw refusal; }, systemClock).apply(network), { instanceOf: NetworkApplyError });
	t.is(error.step, 'apply the network settings');
	t.is(error.cause, refusal);
});

test('DHCP is rendered with lease renewal left to networkd (no static address, DHCP=ipv4)', (t) => {
	const files = renderNetworkd({ ...defaultConfig().network, source: 'dhcp' });
	const file = files['10-exlb.network'] ?? '';
	t.regex(file, /^DHCP=ipv4$/m);
	t.notRegex(file, /^Address=/m);
	// Nothing that would stop networkd from renewing the lease.
	t.notRegex(file, /CriticalConnection|KeepConfiguration=(yes|dhcp)|RequestBroadcast/);
});
