// The appliance's controller: systemd units installed by the image (Debian's haproxy.service and
// keepalived.service pointed at the render dir through /etc/default; stunnel@exlb-<service>.service per
// offloaded service, reading /etc/stunnel/exlb-<service>.conf → /run/exlb/stunnel-<service>.conf).
import { CommandError, runCommand, tryCommand } from '../os/exec.js';
import type { ServiceController } from './controller.js';
import { isStunnel, type Daemon } from '../render/daemons.js';
import { ServiceControlError } from './errors.js';

/** A start or stop waits for the unit's own start-up and shut-down. */
const systemctlTimeoutMs = 60_000;

/** haproxy.service, keepalived.service, stunnel@exlb-https.service, ... */
export function defaultUnit(daemon: Daemon): string {
	return isStunnel(daemon) ? `stunnel@exlb-${daemon.slice('stunnel-'.length)}.service` : `${daemon}.service`;
}

export class SystemdController implements ServiceController {
	constructor(readonly unitOf: (daemon: Daemon) => string = defaultUnit) {}

	async #systemctl(service: Daemon, action: string): Promise<void> {
		try {
			await runCommand('systemctl', [action, this.unitOf(service)], { timeoutMs: systemctlTimeoutMs });
		} catch (error) {
			if (error instanceof CommandError) throw new ServiceControlError(service, action, error.message, { cause: error });
			throw error;
		}
	}

	start(service: Daemon): Promise<void> {
		return this.#systemctl(service, 'start');
	}

	reload(service: Daemon): Promise<void> {
		return this.#systemctl(service, 'reload');
	}

	stop(service: Daemon): Promise<void> {
		return this.#systemctl(service, 'stop');
	}

	async isRunning(service: Daemon): Promise<boolean> {
		return (await tryCommand('systemctl', ['is-active', '--quiet', this.unitOf(service)])).exitCode === 0;
	}
}
