import test from 'ava';
import { renderWith as render } from './render-with.js';
import { advertSeconds } from '../../../services/render/keepalived.js';

const ha = (role: 'master' | 'backup', more: Record<string, unknown> = {}) => render((config) => {
	config.network.source = 'static';
	Object.assign(config.ha, { role, vip: '192.168.0.201', ...more });
})['keepalived.conf']!;

test('no HA: no keepalived.conf', (t) => {
	t.is(render(() => {})['keepalived.conf'], null);
});

test('keepalived: VRRPv3 with the cluster id, role priority, VIP on the (VLAN) interface, haproxy tracked', (t) => {
	const master = ha('master', { clusterId: 77 });
	t.regex(master, /vrrp_version 3/);
	t.regex(master, /state BACKUP\n    interface eth0\n    virtual_router_id 77\n    priority 150/, 'both nodes start as BACKUP; the priority makes the master');
	t.regex(master, /192\.168\.0\.201\/24 dev eth0/);
	t.regex(master, /vrrp_script track_haproxy \{\n    script "\/usr\/bin\/pgrep -F \/tmp\/exlb-unit\/haproxy\.pid haproxy"/);
	t.regex(master, /track_script \{\n        track_haproxy/);
	const backup = render((config) => { Object.assign(config.ha, { role: 'backup', vip: '192.168.0.201' }); config.network.vlan = 12; })['keepalived.conf']!;
	t.regex(backup, /state BACKUP\n    interface vlan12\n    virtual_router_id 51\n    priority 100/);
	t.regex(backup, /192\.168\.0\.201\/24 dev vlan12/);
});

test('keepalived: the advert interval in centiseconds, sub-second by default', (t) => {
	t.regex(ha('master'), /\n    advert_int 0\.25\n/);
	t.regex(ha('master', { advertIntervalMs: 1000 }), /\n    advert_int 1\n/);
	t.regex(ha('master', { advertIntervalMs: 100 }), /\n    advert_int 0\.1\n/);
	t.is(advertSeconds(50), '0.05');
	t.is(advertSeconds(10_000), '10');
	t.is(advertSeconds(1230), '1.23');
});

test('keepalived: a returning master takes over after the preempt delay, or never', (t) => {
	const delayed = ha('master', { preemptDelay: 45 });
	t.regex(delayed, /\n    preempt_delay 45\n/);
	t.notRegex(delayed, /nopreempt/);
	const never = ha('master', { preempt: 'never' });
	t.regex(never, /\n    nopreempt\n/);
	t.notRegex(never, /preempt_delay/, 'keepalived ignores preempt_delay with nopreempt (and says so)');
});

test('keepalived: gratuitous ARPs at takeover, a second later and every minute while master', (t) => {
	const text = ha('backup');
	t.regex(text, /garp_master_repeat 5\n    garp_master_delay 1\n    garp_master_refresh 60\n    garp_master_refresh_repeat 2/);
});

test('keepalived: unicast to the peer from this node\'s static address; multicast without a peer', (t) => {
	const unicast = ha('master', { unicastPeer: '192.168.0.9' });
	t.regex(unicast, /unicast_src_ip 192\.168\.0\.200\n    unicast_peer \{\n        192\.168\.0\.9\n    \}/);
	t.notRegex(ha('master'), /unicast/);
	const dhcp = render((config) => {
		config.network.source = 'dhcp';
		Object.assign(config.ha, { role: 'backup', vip: '192.168.0.201', unicastPeer: '192.168.0.9' });
	})['keepalived.conf']!;
	t.notRegex(dhcp, /unicast_src_ip/, 'with DHCP keepalived takes the interface\'s address');
	t.regex(dhcp, /unicast_peer \{\n        192\.168\.0\.9/);
});

test('keepalived: every state change goes to the notify script with the state file', (t) => {
	t.regex(ha('master'), /\n    notify "\S+\/image\/overlay\/usr\/lib\/exlb\/vrrp-notify \/tmp\/exlb-unit\/vrrp-state"\n/);
});
