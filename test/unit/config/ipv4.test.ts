import test from 'ava';
import {
	parseIpv4, formatIpv4, netmaskToPrefix, ipv4Problem, netmaskProblem, hostAddressProblem, gatewayProblem, sameSubnet,
} from '../../../services/config/ipv4.js';

test('dotted quads parse and format back', (t) => {
	t.is(parseIpv4('192.168.0.200'), 0xc0a800c8);
	t.is(formatIpv4(0xc0a800c8), '192.168.0.200');
	t.is(parseIpv4('0.0.0.0'), 0);
	t.is(parseIpv4('255.255.255.255'), 0xffffffff);
});

for (const bad of ['300.1.1.1', 'abc', '', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.-4', '1.2.3.4\n']) {
	test(`${JSON.stringify(bad)} is not an address`, (t) => {
		t.is(parseIpv4(bad), null);
		t.truthy(ipv4Problem(bad));
	});
}

test('netmasks: contiguous ones map to prefixes, others are refused with a reason', (t) => {
	t.is(netmaskToPrefix(parseIpv4('255.255.255.0')!), 24);
	t.is(netmaskToPrefix(parseIpv4('255.255.0.0')!), 16);
	t.is(netmaskToPrefix(parseIpv4('255.255.255.252')!), 30);
	t.is(netmaskToPrefix(parseIpv4('255.0.255.0')!), null);
	t.is(netmaskProblem('255.0.255.0'), '255.0.255.0 is not a contiguous netmask');
	t.is(netmaskProblem('255.255.255.0'), null);
	t.truthy(netmaskProblem('255.255.255.255'));
	t.truthy(netmaskProblem('0.0.0.0'));
});

test('host address: network and broadcast addresses are refused', (t) => {
	t.is(hostAddressProblem('10.0.0.17', '255.255.0.0'), null);
	t.is(hostAddressProblem('192.168.0.0', '255.255.255.0'), '192.168.0.0 is the network address of 192.168.0.0/24');
	t.is(hostAddressProblem('192.168.0.255', '255.255.255.0'), '192.168.0.255 is the broadcast address of its subnet');
	t.truthy(hostAddressProblem('127.0.0.1', '255.0.0.0'));
	t.truthy(hostAddressProblem('224.0.0.18', '255.255.255.0'));
});

test('gateway must be inside the subnet', (t) => {
	t.is(gatewayProblem('10.0.1.1', '10.0.0.17', '255.255.0.0'), null);
	t.is(gatewayProblem('10.1.0.1', '10.0.0.17', '255.255.0.0'), '10.1.0.1 is outside the subnet of 10.0.0.17/16');
	t.truthy(gatewayProblem('10.0.0.17', '10.0.0.17', '255.255.0.0'));
	t.true(sameSubnet('10.0.2.50', '10.0.2.2', '255.255.255.0'));
});
