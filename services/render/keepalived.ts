// keepalived.conf: one VRRP instance carrying the VIP, following haproxy (a node whose haproxy is gone gives the VIP
// away). null when HA is disabled. What makes the failover fast and calm:
// - VRRPv3, so the advertisement interval can be under a second (VRRPv2 rounds it to whole seconds); the backup
//   takes over after 3 intervals plus a skew without an advertisement;
// - both nodes start in BACKUP state (keepalived's preempt_delay and nopreempt need it) and the priority makes the
//   master: a returning master takes the VIP back only once its haproxy is up, ha.preemptDelay seconds later, or
//   never (nopreempt), so the VIP moves once, not back and forth;
// - gratuitous ARPs at takeover, again a second later, and every minute while master, so switches and clients'
//   ARP caches follow the VIP;
// - unicast advertisements to ha.unicastPeer for networks that drop VRRP multicast;
// - a notify script that writes each state change to a file, which the status cross-checks with the VIP.
// haproxy is tracked by a script on its master's pid file rather than track_process: the kernel's process
// connector that track_process needs exists only in the initial network namespace, and a pid file names
// this node's haproxy even when other haproxy processes run on the same kernel (tests).
import type { Config } from '../config/schema.js';
import { parseIpv4, netmaskToPrefix } from '../config/ipv4.js';
import { RenderedText, generatedHeader } from './lines.js';
import type { RenderEnv } from './env.js';
import { serviceInterface } from './networkd.js';

export const vrrpPriority = { master: 150, backup: 100 } as const;

/** Gratuitous ARPs: how many at takeover and a second later, and how often while master (seconds). */
export const garp = { repeat: 5, delaySeconds: 1, refreshSeconds: 60, refreshRepeat: 2 } as const;

/**
 * How often haproxy's pid is checked, seconds: with fall 2 a dead haproxy gives the VIP away in about a second.
 * (Every check forks pgrep: 0.2 s measured 0.7 s failovers but costs an emulated appliance a lot of CPU.)
 */
export const trackIntervalSeconds = 0.5;

/** keepalived's interval in seconds with two decimals (centiseconds), e.g. 250 ms → 0.25. */
export function advertSeconds(milliseconds: number): string {
	return (milliseconds / 1000).toFixed(2).replace(/\.?0+$/, '');
}

export function renderKeepalived(config: Config, env: RenderEnv): RenderedText | null {
	const { role, vip, clusterId, advertIntervalMs, preempt, preemptDelay, unicastPeer } = config.ha;
	if (role === 'disabled') return null;
	const device = serviceInterface(config.network, env.interface);
	const prefix = netmaskToPrefix(parseIpv4(config.network.netmask)!);
	const out = new RenderedText();
	out.line(generatedHeader('#'));
	out.line('global_defs {');
	out.line(`    router_id ${config.network.hostname}`, 'network.hostname');
	out.line('    vrrp_version 3');
	out.line('    enable_script_security');
	out.line('    script_user root');
	out.line('}');
	out.blank();
	out.line('vrrp_script track_haproxy {');
	out.line(`    script "/usr/bin/pgrep -F ${env.haproxyPidFile} haproxy"`);
	out.line(`    interval ${trackIntervalSeconds}`);
	out.line('    timeout 2');
	out.line('    fall 2');
	out.line('    rise 2');
	out.line('}');
	out.blank();
	out.line('vrrp_instance exlb {');
	out.line('    state BACKUP');
	out.line(`    interface ${device}`, 'network.vlan');
	out.line(`    virtual_router_id ${clusterId}`, 'ha.clusterId');
	out.line(`    priority ${vrrpPriority[role]}`, 'ha.role');
	out.line(`    advert_int ${advertSeconds(advertIntervalMs)}`, 'ha.advertIntervalMs');
	if (preempt === 'never') out.line('    nopreempt', 'ha.preempt');
	else out.line(`    preempt_delay ${preemptDelay}`, 'ha.preemptDelay');
	out.line(`    garp_master_repeat ${garp.repeat}`);
	out.line(`    garp_master_delay ${garp.delaySeconds}`);
	out.line(`    garp_master_refresh ${garp.refreshSeconds}`);
	out.line(`    garp_master_refresh_repeat ${garp.refreshRepeat}`);
	if (unicastPeer !== '') {
		// A static address is this node's source; with DHCP keepalived takes the interface's own.
		if (config.network.source === 'static') out.line(`    unicast_src_ip ${config.network.address}`, 'network.address');
		out.line('    unicast_peer {');
		out.line(`        ${unicastPeer}`, 'ha.unicastPeer');
		out.line('    }');
	}
	out.line(`    notify "${env.vrrpNotifyScript} ${env.vrrpStateFile}"`);
	out.line('    virtual_ipaddress {');
	out.line(`        ${vip}/${prefix} dev ${device}`, 'ha.vip');
	out.line('    }');
	out.line('    track_script {');
	out.line('        track_haproxy');
	out.line('    }');
	out.line('}');
	return out;
}
