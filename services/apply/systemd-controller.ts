// The appliance's controller: systemd units installed by the image (Debian's haproxy.service and
// keepalived.service pointed at the render dir through /etc/default; stunnel@exlb-<service>.service per
// offloaded service, reading /etc/stunnel/exlb-<service>.conf → /run/exlb/stunnel-<service>.conf).
import { execa } from 'execa';
import type { ServiceController } from './controller.js';
import { isStunnel, type Daemon } from '../render/daemons.js';
import { ServiceControlError } from './errors.js';

/** haproxy.service, keepalived.service, stunnel@exlb-https.service, ... */
export function defaultUnit(daemon: Daemon): string {
	return isStunnel(daemon) ? `stunnel@exlb-${daemon.slice('stunnel-'.length)}.service` : `${daemon}.service`;
}

export class SystemdController implements ServiceController {
	constructor(readonly unitOf: (daemon: Daemon) => string = defaultUnit) {}

	async #systemctl(service: Daemon, action: string): Promise<void> {
		const result = await execa('systemctl', [action, this.unitOf(service)], { reject: false, all: true, timeout: 60_000 });
		if (result.exitCode !== 0) {
			throw new ServiceControlError(service, action, `systemctl ${action} ${this.unitOf(service)} exited with ${result.exitCode}: ${String(result.all ?? '').trim().split('\n').slice(-5).join(' | ')}`, { cause: result });
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
		const result = await execa('systemctl', ['is-active', '--quiet', this.unitOf(service)], { reject: false });
		return result.exitCode === 0;
	}
}
