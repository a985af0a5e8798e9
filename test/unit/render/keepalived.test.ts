import test from 'ava';
import { renderWith as render } from './render-with.js';

test('no HA: no keepalived.conf', (t) => {
	t.is(render(() => {})['keepalived.conf'], null);
});

test('keepalived: VRRP with the cluster id, role priority, VIP on the (VLAN) interface, haproxy tracked', (t) => {
	const master = render((config) => { config.ha.role = 'master'; config.ha.vip = '192.168.0.201'; config.ha.clusterId = 77; })['keepalived.conf']!;
	t.regex(master, /state MASTER\n    interface eth0\n    virtual_router_id 77\n    priority 150/);
	t.regex(master, /192\.168\.0\.201\/24 dev eth0/);
	t.regex(master, /vrrp_script track_haproxy \{\n    script "\/usr\/bin\/pgrep -F \/tmp\/exlb-unit\/haproxy\.pid haproxy"/);
	t.regex(master, /track_script \{\n        track_haproxy/);
	t.regex(master, /garp_master_refresh 60/);
	const backup = render((config) => { config.ha.role = 'backup'; config.ha.vip = '192.168.0.201'; config.network.vlan = 12; })['keepalived.conf']!;
	t.regex(backup, /state BACKUP\n    interface vlan12\n    virtual_router_id 51\n    priority 100/);
	t.regex(backup, /192\.168\.0\.201\/24 dev vlan12/);
});
