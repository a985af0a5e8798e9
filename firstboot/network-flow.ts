// Carries out a decision: DHCP with a bounded wait and the 192.168.0.200/24 fallback, or a static configuration
// applied then saved. Every outcome leaves the appliance with an address or says on the console why it could not.
import { ConfigValidationError, formatIssue } from '../services/config/issues.js';
import type { NetworkConfig } from '../services/config/schema.js';
import type { ConsoleConfig } from './console-config.js';
import type { NetworkBackend } from './network-backend.js';
import type { StaticValues } from './network-dialog.js';
import * as texts from './texts.js';

export interface FlowDeps {
	readonly backend: NetworkBackend;
	readonly config: ConsoleConfig;
	/** Writes one line on every console. */
	readonly say: (line: string) => void;
}

/** One console line: a refused configuration names each field and why (its message alone spans several lines). */
const reason = (error: unknown): string => {
	for (let cause = error; cause instanceof Error; cause = cause.cause) {
		if (cause instanceof ConfigValidationError) return cause.issues.map(formatIssue).join('; ');
	}
	return error instanceof Error ? error.message : String(error);
};

/** DHCP; when no lease comes within the bounded wait (or DHCP cannot start), the factory fallback address. */
export async function bringUpDhcp(base: NetworkConfig, deps: FlowDeps): Promise<void> {
	const dhcp: NetworkConfig = { ...base, source: 'dhcp' };
	deps.say(texts.waitingForDhcp);
	try {
		await deps.backend.apply(dhcp);
		const lease = await deps.backend.waitForLease(texts.dhcpWaitSeconds * 1000);
		if (lease !== null) {
			deps.say(`DHCP lease: ${lease}`);
			await recordRunning(dhcp, deps);
			return;
		}
	} catch (error) {
		deps.say(`DHCP could not be started: ${reason(error)}`);
	}
	const fallback: NetworkConfig = { ...base, source: 'static', address: texts.fallbackAddress, netmask: texts.fallbackNetmask, gateway: '', vlan: null, routes: [] };
	try {
		await deps.backend.apply(fallback);
		deps.say(texts.noDhcpAnswer);
		await recordRunning(fallback, deps);
	} catch (error) {
		deps.say(`The fallback address ${texts.fallbackCidr} could not be configured: ${reason(error)}`);
	}
}

/** Applies static settings, then saves them so the next boots come up with them directly. */
export async function bringUpStatic(base: NetworkConfig, values: StaticValues, deps: FlowDeps, save: boolean): Promise<boolean> {
	const network: NetworkConfig = { ...base, source: 'static', ...values };
	if (save) {
		// Checked whole before it is applied: a network the rest of the configuration refuses (an HA VIP left
		// outside the new subnet) is never put in force only to be refused at the save.
		try {
			await deps.config.checkNetwork(network);
		} catch (error) {
			deps.say(`The configuration cannot be used: ${reason(error)}`);
			return false;
		}
	}
	try {
		await deps.backend.apply(network);
	} catch (error) {
		deps.say(`The configuration could not be applied: ${reason(error)}`);
		return false;
	}
	if (!save) return recordRunning(network, deps);
	try {
		await deps.config.saveNetwork(network);
		deps.say(`Configuration saved: ${values.address}/${values.netmask}${values.gateway === '' ? '' : ` via ${values.gateway}`}.`);
		return true;
	} catch (error) {
		deps.say(`The configuration is applied but could not be saved: ${reason(error)}`);
		return false;
	}
}

async function recordRunning(network: NetworkConfig, deps: FlowDeps): Promise<boolean> {
	try {
		await deps.config.recordRunning(network);
		return true;
	} catch (error) {
		deps.say(`Could not record the running configuration: ${reason(error)}`);
		return false;
	}
}
