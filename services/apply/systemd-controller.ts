// The appliance's controller: systemd units installed by the image (Debian's haproxy.service and
// keepalived.service pointed at the render dir through /etc/default, stunnel@exlb.service).
import { execa } from 'execa';
import type { ServiceController, Daemon } from './controller.js';
import { ServiceControlError } from './errors.js';

export const defaultUnits: Record<Daemon, string> = {
	haproxy: 'haproxy.service',
	stunnel: 'stunnel@exlb.service',
	keepalived: 'keepalived.service',
};

export class SystemdController implements ServiceController {
	constructor(readonly units: Record<Daemon, string> = defaultUnits) {}

	async #systemctl(service: Daemon, action: string): Promise<void> {
		const result = await execa('systemctl', [action, this.units[service]], { reject: false, all: true, timeout: 60_000 });
		if (result.exitCode !== 0) {
			throw new ServiceControlError(service, action, `systemctl ${action} ${this.units[service]} exited with ${result.exitCode}: ${String(result.all ?? '').trim().split('\n').slice(-5).join(' | ')}`, { cause: result });
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
		const result = await execa('systemctl', ['is-active', '--quiet', this.units[service]], { reject: false });
		return result.exitCode === 0;
	}
}
