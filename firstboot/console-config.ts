// The console agent's view of the configuration, through the appliance service (services/appliance/service.ts):
// what it reads at boot, what it records and saves on "y", what factory reset and password reset do. It writes
// nothing itself: every change is the service's, under the apply lock, validated whole.
import { access } from 'node:fs/promises';
import type { NetworkConfig } from '../services/config/schema.js';
import { loadRunningConfig, loadSavedConfig } from '../services/config/store.js';
import type { ApplianceService } from '../services/appliance/service.js';
import type { Actor } from '../services/engine/protocol.js';

/** Changes made at the console are audited as the console's. */
const consoleActor: Actor = { user: 'console', address: '', via: 'console' };

export class ConsoleConfig {
	constructor(readonly service: ApplianceService) {}

	/** The saved network settings, or null for factory settings (nothing saved, or saved with source "factory"). */
	async savedNetwork(): Promise<NetworkConfig | null> {
		const saved = await loadSavedConfig(this.service.paths);
		return saved === null || saved.network.source === 'factory' ? null : saved.network;
	}

	/** True when this boot already applied a network configuration (the agent was restarted after set-up). */
	async networkAppliedThisBoot(): Promise<boolean> {
		return access(this.service.paths.runningConfig).then(() => true, () => false);
	}

	/** What is in force (running, else saved, else factory defaults). */
	async currentNetwork(): Promise<NetworkConfig> {
		return (await loadRunningConfig(this.service.paths)).network;
	}

	/** Applies network settings with the whole configuration (keepalived follows) and records them as running. */
	async applyNetwork(network: NetworkConfig): Promise<void> {
		await this.service.applyNetwork(network, { save: false }, consoleActor);
	}

	/** Records network settings in force (a DHCP lease) as running. */
	async recordRunning(network: NetworkConfig): Promise<void> {
		await this.service.recordNetwork(network, { save: false }, consoleActor);
	}

	/** Saves the network settings and records them as running; each record keeps its other settings. */
	async saveNetwork(network: NetworkConfig): Promise<void> {
		await this.service.recordNetwork(network, { save: true }, consoleActor);
	}

	/** Throws ConfigValidationError when the running or the saved configuration refuses this network. */
	async checkNetwork(network: NetworkConfig): Promise<void> {
		await this.service.checkNetwork(network, { save: true });
	}

	/**
	 * The console's factory reset is the second level ("erase everything"): the saved configuration, certificates,
	 * history and web accounts go now, the data partition is re-created at the next boot (the agent reboots).
	 */
	async factoryReset(): Promise<void> {
		await this.service.factoryReset(consoleActor, { level: 'everything', reboot: false });
	}

	async resetAdminPassword(): Promise<void> {
		await this.service.resetAdminPassword(consoleActor);
	}
}
