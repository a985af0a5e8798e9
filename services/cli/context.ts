// What every command needs: where the appliance keeps things, how to print, which controller to use,
// and which config a command works on (--config FILE, or the running configuration).
import type { AppliancePaths } from '../paths.js';
import type { RenderEnv } from '../render/env.js';
import { machineApplyOptions, machinePaths, machineRenderEnv, MachineSetupError, type ControllerName } from '../appliance/machine.js';
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

export { controllerNames, type ControllerName } from '../appliance/machine.js';

export interface Context {
	readonly io: Io;
	readonly paths: AppliancePaths;
	readonly environment: NodeJS.ProcessEnv;
}

export function makeContext(io: Io, environment: NodeJS.ProcessEnv = process.env): Context {
	return { io, paths: machinePaths(environment), environment };
}

export function renderEnv(context: Context): RenderEnv {
	return machineRenderEnv(context.environment);
}

/** apply() options for this machine (services/appliance/machine.ts); a bad --controller is a usage error. */
export function applyOptions(context: Context, flag: string | undefined): ApplyOptions & { controllerName: ControllerName } {
	try {
		const options = machineApplyOptions(context.environment, flag);
		// Children of a command that exits would be orphans: `exlb run` is the CLI's way to run them as processes.
		if (options.controllerName === 'process') throw new MachineSetupError('--controller process: the daemons would outlive this command; use "exlb run"');
		return options;
	} catch (error) {
		if (error instanceof MachineSetupError) throw new UsageError(error.message, { cause: error });
		throw error;
	}
}

/** --config FILE, or the running configuration (running, else saved, else factory). */
export async function configFrom(context: Context, file: string | undefined): Promise<Config> {
	if (file === undefined) return loadRunningConfig(context.paths);
	const config = await readConfigFile(file);
	if (config === null) throw new UsageError(`${file} does not exist`);
	return config;
}

/** A password named by --password-env VAR (never on the command line: ps would show it); undefined without the flag. */
export function passwordFromEnv(context: Context, variable: string | undefined): string | undefined {
	if (variable === undefined) return undefined;
	const password = context.environment[variable];
	if (password === undefined) throw new UsageError(`--password-env ${variable}: that environment variable is not set`);
	return password;
}

export function printWarnings(context: Context, warnings: readonly ConfigIssue[]): void {
	for (const warning of warnings) context.io.err(`warning: ${formatIssue(warning)}`);
}
