// keepalived.conf: one VRRP instance carrying the VIP, following haproxy (a node whose haproxy is gone
// gives the VIP away), with gratuitous ARP refreshed so switches keep pointing at the master. null when HA is disabled.
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
	out.line('}');
	out.blank();
	out.line('vrrp_track_process track_haproxy {');
	out.line('    process haproxy');
	out.line('    quorum 1');
	out.line('    delay 1');
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
	out.line('    track_process {');
	out.line('        track_haproxy');
	out.line('    }');
	out.line('}');
	return out;
}
