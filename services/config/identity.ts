// What makes the appliance reachable where it stands: its own network settings (address, netmask, gateway, host
// name, VLAN, routes) and its HA role. A restore or a revert brings a configuration from elsewhere or from the past;
// these stay as they are unless the admin asks for them too (Stormshield's "ennetwork" opt-in).
import type { Config } from './schema.js';

/** `target` with the network settings and the HA role of `current`. */
export function withApplianceIdentity(target: Config, current: Config): Config {
	return { ...target, network: structuredClone(current.network), ha: { ...target.ha, role: current.ha.role } };
}
