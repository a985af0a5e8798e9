// The console agent's view of the shared config model (services/config/store.ts): what it reads at boot, what it
// saves on "y", what factory reset and password reset remove. Paths come from services/paths.ts (EXLB_ROOT in tests).
import { access, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AppliancePaths } from '../services/paths.js';
import type { Config, NetworkConfig } from '../services/config/schema.js';
import { loadRunningConfig, loadSavedConfig, saveConfig, writeRunningConfig } from '../services/config/store.js';
import { ConfigValidationError, validateConfig } from '../services/config/validate.js';

/**
 * The web admin password lives outside the config model (a secret, not a setting): the web UI keeps its hash in this
 * file on the data partition and uses the default password when the file is absent. Resetting = removing it.
 */
export const adminPasswordFile = (paths: AppliancePaths): string => path.join(paths.dataDir, 'config', 'web-admin-password');

export class ConfigPort {
	constructor(readonly paths: AppliancePaths) {}

	/** The saved network settings, or null for factory settings (nothing saved, or saved with source "factory"). */
	async savedNetwork(): Promise<NetworkConfig | null> {
		const saved = await loadSavedConfig(this.paths);
		return saved === null || saved.network.source === 'factory' ? null : saved.network;
	}

	/** True when this boot already applied a network configuration (the agent was restarted after set-up). */
	async networkAppliedThisBoot(): Promise<boolean> {
		return access(this.paths.runningConfig).then(
			() => true,
			() => false,
		);
	}

	/** What is in force (running, else saved, else factory defaults). */
	async currentNetwork(): Promise<NetworkConfig> {
		return (await loadRunningConfig(this.paths)).network;
	}

	/** Records what was applied in the running configuration (tmpfs): the web UI and the CLI read it. */
	async recordRunning(network: NetworkConfig): Promise<void> {
		const config = await loadRunningConfig(this.paths);
		await writeRunningConfig({ ...config, network }, this.paths);
	}

	/**
	 * Saves the network settings on the data partition and records them as running. Each record keeps its own other
	 * settings: unsaved changes stay running and unsaved (they used to be replaced by the saved ones). Both are
	 * validated before either is written, so a network one of them refuses changes neither.
	 */
	async saveNetwork(network: NetworkConfig): Promise<void> {
		const { running, saved } = await this.#withNetwork(network);
		await saveConfig(saved, this.paths);
		await writeRunningConfig(running, this.paths);
	}

	/** Throws ConfigValidationError when the running or the saved configuration refuses this network (run before applying it). */
	async checkNetwork(network: NetworkConfig): Promise<void> {
		await this.#withNetwork(network);
	}

	/** Both records with `network` in place, each validated whole (cross-checks such as the VIP's subnet included). */
	async #withNetwork(network: NetworkConfig): Promise<{ running: Config; saved: Config }> {
		const running = { ...(await loadRunningConfig(this.paths)), network };
		const saved = { ...((await loadSavedConfig(this.paths)) ?? running), network };
		for (const config of [running, saved]) {
			const result = validateConfig(config);
			if (!result.ok) throw new ConfigValidationError(result.errors);
		}
		return { running, saved };
	}

	/** Removes the saved configuration: the next boot starts with factory settings (and the prompt). */
	async factoryReset(): Promise<void> {
		await rm(this.paths.savedConfig, { force: true });
		await rm(adminPasswordFile(this.paths), { force: true });
	}

	async resetAdminPassword(): Promise<void> {
		await rm(adminPasswordFile(this.paths), { force: true });
	}
}
