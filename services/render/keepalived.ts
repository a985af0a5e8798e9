// keepalived.conf: one VRRP instance carrying the VIP, following haproxy (a node whose haproxy is gone
// gives the VIP away), with gratuitous ARP refreshed so switches keep pointing at the master. null when HA is disabled.
// haproxy is tracked by a script on its master's pid file rather than track_process: the kernel's process
// connector that track_process needs exists only in the initial network namespace, and a pid file names
// this node's haproxy even when other haproxy processes run on the same kernel (tests).
import type { Config } from '../config/schema.js';
import { parseIpv4, netmaskToPrefix } from '../config/ipv4.js';
import { RenderedText, generatedHeader } from './lines.js';
import type { RenderEnv } from './env.js';
import { serviceInterface } from './networkd.js';

export const vrrpPriority = { master: 150, backup: 100 } as const;

export function renderKeepalived(config: Config, env: RenderEnv): RenderedText | null {
	const { role, vip, clusterId } = config.ha;
	if (role === 'disabled') return null;
	const device = serviceInterface(config.network, env.interface);
	const prefix = netmaskToPrefix(parseIpv4(config.network.netmask)!);
	const out = new RenderedText();
	out.line(generatedHeader('#'));
	out.line('global_defs {');
	out.line(`    router_id ${config.network.hostname}`, 'network.hostname');
	out.line('    enable_script_security');
	out.line('    script_user root');
	out.line('}');
	out.blank();
	out.line('vrrp_script track_haproxy {');
	out.line(`    script "/usr/bin/pgrep -F ${env.haproxyPidFile} haproxy"`);
	out.line('    interval 1');
	out.line('    timeout 2');
	out.line('    fall 2');
	out.line('    rise 2');
	out.line('}');
	out.blank();
	out.line('vrrp_instance exlb {');
	out.line(`    state ${role === 'master' ? 'MASTER' : 'BACKUP'}`, 'ha.role');
	out.line(`    interface ${device}`, 'network.vlan');
	out.line(`    virtual_router_id ${clusterId}`, 'ha.clusterId');
	out.line(`    priority ${vrrpPriority[role]}`, 'ha.role');
	out.line('    advert_int 1');
	out.line('    garp_master_delay 1');
	out.line('    garp_master_refresh 60');
	out.line('    garp_master_refresh_repeat 2');
	out.line('    virtual_ipaddress {');
	out.line(`        ${vip}/${prefix} dev ${device}`, 'ha.vip');
	out.line('    }');
	out.line('    track_script {');
	out.line('        track_haproxy');
	out.line('    }');
	out.line('}');
	return out;
}
