// How apply() starts, reloads and stops the daemons: systemd units in the appliance, child processes on a host.
import type { Daemon } from '../render/daemons.js';

export type { Daemon } from '../render/daemons.js';

export interface ServiceController {
	/** Starts the daemon on its config in the render dir; resolves once it serves. */
	start(service: Daemon): Promise<void>;
	/** Makes the daemon re-read its config without dropping established or new connections (haproxy). */
	reload(service: Daemon): Promise<void>;
	stop(service: Daemon): Promise<void>;
	isRunning(service: Daemon): Promise<boolean>;
}
