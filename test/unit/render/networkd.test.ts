import test from 'ava';
import { defaultConfig, type NetworkConfig } from '../../../services/config/schema.js';
import { renderNetworkd, serviceInterface } from '../../../services/render/networkd.js';

const network = (patch: Partial<NetworkConfig>): NetworkConfig => ({ ...defaultConfig().network, ...patch });

test('factory and dhcp render DHCP with the host name, keeping foreign addresses (the VIP)', (t) => {
	for (const source of ['factory', 'dhcp'] as const) {
		const files = renderNetworkd(network({ source, hostname: 'lb1' }));
		t.deepEqual(Object.keys(files), ['10-exlb.network']);
		const text = files['10-exlb.network']!;
		t.regex(text, /^\[Match\]\nName=en\* eth\*$/m);
		t.regex(text, /^DHCP=ipv4$/m);
		t.regex(text, /^KeepConfiguration=static$/m);
		t.regex(text, /^\[DHCPv4\]\nSendHostname=yes\nHostname=lb1$/m);
		t.notRegex(text, /^Address=/m);
	}
});

test('static renders address/prefix, gateway and routes', (t) => {
	const text = renderNetworkd(network({
		source: 'static', address: '10.1.2.3', netmask: '255.255.0.0', gateway: '10.1.0.1',
		routes: [{ network: '172.16.0.0', netmask: '255.240.0.0', router: '10.1.0.254' }],
	}), { interfaceMatch: 'ens192' })['10-exlb.network']!;
	t.regex(text, /^Name=ens192$/m);
	t.regex(text, /^Address=10\.1\.2\.3\/16$/m);
	t.regex(text, /^Gateway=10\.1\.0\.1$/m);
	t.regex(text, /^\[Route\]\nDestination=172\.16\.0\.0\/12\nGateway=10\.1\.0\.254$/m);
	t.notRegex(text, /DHCP/);
});

test('the factory fallback 192.168.0.200/24 is a static value', (t) => {
	const text = renderNetworkd(network({ source: 'static' }))['10-exlb.network']!;
	t.regex(text, /^Address=192\.168\.0\.200\/24$/m);
	t.notRegex(text, /^Gateway=/m);
});

test('a VLAN renders a netdev, the parent link and the addressed VLAN link', (t) => {
	const files = renderNetworkd(network({ source: 'static', vlan: 42 }), { interfaceMatch: 'eth0' });
	t.deepEqual(Object.keys(files).sort(), ['10-exlb-parent.network', '20-exlb-vlan42.netdev', '30-exlb-vlan42.network']);
	t.regex(files['10-exlb-parent.network']!, /^Name=eth0\n[\s\S]*^VLAN=vlan42$/m);
	t.regex(files['20-exlb-vlan42.netdev']!, /^\[NetDev\]\nName=vlan42\nKind=vlan\n[\s\S]*^\[VLAN\]\nId=42$/m);
	t.regex(files['30-exlb-vlan42.network']!, /^Name=vlan42$[\s\S]*^Address=192\.168\.0\.200\/24$/m);
	t.is(serviceInterface({ vlan: 42 }, 'eth0'), 'vlan42');
	t.is(serviceInterface({ vlan: null }, 'eth0'), 'eth0');
});

test('an interface match with a newline is refused', (t) => {
	t.throws(() => renderNetworkd(network({}), { interfaceMatch: 'eth0\n[Network]' }), { instanceOf: RangeError });
});
