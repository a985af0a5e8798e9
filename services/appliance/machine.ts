// How this machine applies a configuration: where things are (paths), what the renderers point to (env), which
// controller runs the daemons (systemd units in the appliance, none on a build host) and how the network is
// reloaded. Composed once here for every front end (CLI, boot, console, engine).
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { appliancePaths, type AppliancePaths } from '../paths.js';
import { runCommand } from '../os/exec.js';
import { applianceRenderEnv, type RenderEnv } from '../render/env.js';
import type { ServiceController } from '../apply/controller.js';
import { SystemdController } from '../apply/systemd-controller.js';
import { NoDaemonsController } from '../apply/no-daemons-controller.js';
import { ProcessController } from '../apply/process-controller.js';
import type { ApplyOptions } from '../apply/apply.js';

export const controllerNames = ['systemd', 'process', 'none'] as const;
export type ControllerName = (typeof controllerNames)[number];

export class MachineSetupError extends Error {
	override readonly name = 'MachineSetupError';
}

/** The network interface carrying the appliance's address: EXLB_INTERFACE, else the first physical one. */
export function serviceNic(environment: NodeJS.ProcessEnv = process.env): string {
	if (environment.EXLB_INTERFACE) return environment.EXLB_INTERFACE;
	const nics = existsSync('/sys/class/net') ? readdirSync('/sys/class/net').filter((name) => existsSync(`/sys/class/net/${name}/device`)).sort() : [];
	return nics[0] ?? 'eth0';
}

const machineRoot = (environment: NodeJS.ProcessEnv) => environment.EXLB_ROOT ?? '/';

export function machinePaths(environment: NodeJS.ProcessEnv = process.env): AppliancePaths {
	return appliancePaths(machineRoot(environment));
}

export function machineRenderEnv(environment: NodeJS.ProcessEnv = process.env): RenderEnv {
	return applianceRenderEnv(machinePaths(environment), serviceNic(environment));
}

/** --controller FLAG, else EXLB_CONTROLLER, else systemd; anything else is refused by name. */
export function controllerName(environment: NodeJS.ProcessEnv, flag: string | undefined): ControllerName {
	const name = flag ?? environment.EXLB_CONTROLLER ?? 'systemd';
	if (!(controllerNames as readonly string[]).includes(name)) {
		throw new MachineSetupError(`--controller ${JSON.stringify(name)} is not one of ${controllerNames.join(', ')}`);
	}
	return name as ControllerName;
}

/** Has systemd-networkd re-read its files and every Ethernet link take the new settings now. */
export async function reloadNetworkd(): Promise<void> {
	await runCommand('networkctl', ['reload'], { timeoutMs: 15_000, tailLines: 1 });
	const links = JSON.parse(await runCommand('ip', ['-json', 'link', 'show'], { timeoutMs: 15_000 })) as { ifname: string; link_type?: string }[];
	const ethernet = links.filter((link) => link.link_type === 'ether').map((link) => link.ifname);
	if (ethernet.length > 0) await runCommand('networkctl', ['reconfigure', ...ethernet], { timeoutMs: 15_000, tailLines: 1 });
}

/** The kernel's host name (what the console, the logs and the peer see): network.hostname, set when it differs. */
export async function setKernelHostname(name: string, file = '/proc/sys/kernel/hostname'): Promise<void> {
	if ((await readFile(file, 'utf8')).trim() !== name) await writeFile(file, name);
}

/**
 * apply() options for this machine: systemd units and networkd in the appliance; the daemons as child processes of
 * this process on a host without systemd (`process`: exlb run, the engine in tests); or no daemons at all.
 */
export function machineApplyOptions(environment: NodeJS.ProcessEnv, flag?: string): ApplyOptions & { controllerName: ControllerName } {
	const name = controllerName(environment, flag);
	const paths = machinePaths(environment);
	const env = machineRenderEnv(environment);
	const controllers: Record<ControllerName, () => ServiceController> = {
		systemd: () => new SystemdController(),
		process: () => new ProcessController({ renderDir: paths.renderDir, env }),
		none: () => new NoDaemonsController(),
	};
	const controller = controllers[name]();
	const appliance = name === 'systemd'
		? {
			network: { reload: reloadNetworkd, setHostname: (name: string) => setKernelHostname(name) },
			clock: {
				timesyncdFile: path.join(machineRoot(environment), 'run/systemd/timesyncd.conf.d/exlb.conf'),
				localtimeLink: path.join(path.dirname(paths.renderDir), 'localtime'),
				restartTimesyncd: async () => {
					await runCommand('systemctl', ['try-restart', 'systemd-timesyncd.service'], { timeoutMs: 30_000 });
				},
			},
		}
		: {};
	return { paths, env, controller, controllerName: name, ...appliance };
}
