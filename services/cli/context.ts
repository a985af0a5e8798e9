// What every command needs: where the appliance keeps things, how to print, which controller to use,
// and which config a command works on (--config FILE, or the running configuration).
import { readdirSync, existsSync } from 'node:fs';
import { appliancePaths, type AppliancePaths } from '../paths.js';
import { runCommand } from '../os/exec.js';
import { applianceRenderEnv, type RenderEnv } from '../render/env.js';
import type { ServiceController } from '../apply/controller.js';
import { SystemdController } from '../apply/systemd-controller.js';
import { NoDaemonsController } from '../apply/no-daemons-controller.js';
import { loadRunningConfig, readConfigFile } from '../config/store.js';
import type { Config } from '../config/schema.js';
import type { ApplyOptions } from '../apply/apply.js';
import { formatIssue, type ConfigIssue } from '../config/validate.js';

export class UsageError extends Error {
	override readonly name = 'UsageError';
}

export interface Io {
	readonly out: (text: string) => void;
	readonly err: (text: string) => void;
}

export const controllerNames = ['systemd', 'none'] as const;
export type ControllerName = (typeof controllerNames)[number];

export interface Context {
	readonly io: Io;
	readonly paths: AppliancePaths;
	readonly environment: NodeJS.ProcessEnv;
}

export function makeContext(io: Io, environment: NodeJS.ProcessEnv = process.env): Context {
	return { io, paths: appliancePaths(environment.EXLB_ROOT ?? '/'), environment };
}

/** The network interface carrying the appliance's address: EXLB_INTERFACE, else the first physical one. */
export function serviceNic(context: Context): string {
	if (context.environment.EXLB_INTERFACE) return context.environment.EXLB_INTERFACE;
	const nics = existsSync('/sys/class/net') ? readdirSync('/sys/class/net').filter((name) => existsSync(`/sys/class/net/${name}/device`)).sort() : [];
	return nics[0] ?? 'eth0';
}

export function renderEnv(context: Context): RenderEnv {
	return applianceRenderEnv(context.paths, serviceNic(context));
}

export function controllerName(context: Context, flag: string | undefined): ControllerName {
	const name = flag ?? context.environment.EXLB_CONTROLLER ?? 'systemd';
	if (!(controllerNames as readonly string[]).includes(name)) {
		throw new UsageError(`--controller ${JSON.stringify(name)} is not one of ${controllerNames.join(', ')}`);
	}
	return name as ControllerName;
}

/** apply() options for this machine: systemd units and networkd in the appliance, or no daemons at all. */
export function applyOptions(context: Context, flag: string | undefined): ApplyOptions & { controllerName: ControllerName } {
	const name = controllerName(context, flag);
	const controller: ServiceController = name === 'systemd' ? new SystemdController() : new NoDaemonsController();
	const network = name === 'systemd'
		? { network: { reload: async () => { await runCommand('networkctl', ['reload']); } } }
		: {};
	return { paths: context.paths, env: renderEnv(context), controller, controllerName: name, ...network };
}

/** --config FILE, or the running configuration (running, else saved, else factory). */
export async function configFrom(context: Context, file: string | undefined): Promise<Config> {
	if (file === undefined) return loadRunningConfig(context.paths);
	const config = await readConfigFile(file);
	if (config === null) throw new UsageError(`${file} does not exist`);
	return config;
}

export function printWarnings(context: Context, warnings: readonly ConfigIssue[]): void {
	for (const warning of warnings) context.io.err(`warning: ${formatIssue(warning)}`);
}
