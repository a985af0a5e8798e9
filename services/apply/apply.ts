// apply(): validate → render to a candidate dir → the daemons' own checks → atomic swap → start/reload/stop
// only the daemons whose config changed → record the running config. Any failure before the swap leaves
// everything as it was; a daemon failing after the swap gets the previous render dir back.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppliancePaths } from '../paths.js';
import type { Config } from '../config/schema.js';
import { selfSignedCertName } from '../config/schema.js';
import { validateConfig, ConfigValidationError, type ConfigIssue } from '../config/validate.js';
import { offloadCertificateFields } from '../config/cross-checks.js';
import { writeRunningConfig } from '../config/store.js';
import { renderAll, type RenderedFiles } from '../render/index.js';
import { type RenderEnv, certificateFile } from '../render/env.js';
import { ensureSelfSigned } from '../certs/self-signed.js';
import { checkHaproxy, checkKeepalived, checkStunnel } from './checkers.js';
import type { ServiceController, Daemon } from './controller.js';
import { converge } from './converge.js';
import { RenderCheckError, ApplyError, type CheckProblem } from './errors.js';
import { writeCandidate, swapRenderDir, readRendered, removeDir, syncStableCopy, type DaemonTexts } from './render-dir.js';
import { writeNetworkdFiles } from './network.js';
import { withLock } from './lock.js';
import { beforeHaproxyLoads, serverStatesInForce } from '../haproxy/after-apply.js';

export interface ApplyOptions {
	readonly paths: AppliancePaths;
	readonly env: RenderEnv;
	readonly controller: ServiceController;
	/** Run keepalived's check inside this network namespace (tests; its interface must exist there). */
	readonly checkNetns?: string;
	/** Also write the networkd files and reload the network (the appliance's CLI does; tests do not). */
	readonly network?: { readonly reload: () => Promise<void>; readonly interfaceMatch?: string };
	/** Record the config as the running one (default true). */
	readonly recordRunning?: boolean;
}

export interface ApplyResult {
	readonly warnings: ConfigIssue[];
	readonly started: Daemon[];
	readonly reloaded: Daemon[];
	readonly stopped: Daemon[];
	readonly unchanged: Daemon[];
	readonly networkChanged: boolean;
}

async function checkCandidate(dir: string, files: RenderedFiles, options: ApplyOptions): Promise<CheckProblem[]> {
	const at = (name: string) => path.join(dir, name);
	const checks: Promise<CheckProblem[]>[] = [checkHaproxy(at('haproxy.cfg'), { lineFields: files.lineFields['haproxy.cfg'] ?? [] })];
	for (const name of Object.keys(files.stunnel)) checks.push(checkStunnel(at(name), { lineFields: files.lineFields[name] ?? [] }));
	if (files['keepalived.conf'] !== null) {
		checks.push(checkKeepalived(at('keepalived.conf'), { lineFields: files.lineFields['keepalived.conf'] ?? [], netns: options.checkNetns }));
	}
	return (await Promise.all(checks)).flat();
}

async function ensureCertificates(config: Config, env: RenderEnv): Promise<void> {
	if (offloadCertificateFields(config).some((field) => field.name === selfSignedCertName)) {
		await ensureSelfSigned(config.http.hostName, certificateFile(env, selfSignedCertName));
	}
}

/** The file whose owner may change the running configuration (see withApplyLock). */
export function applyLockFile(paths: AppliancePaths): string {
	return `${paths.renderDir}.lock`;
}

/**
 * Runs `work` as the only change to the running configuration on this machine: a read-modify-apply inside it
 * cannot lose another's update. A second caller is refused at once (ApplyError "another apply is running").
 */
export async function withApplyLock<T>(paths: AppliancePaths, work: () => Promise<T>): Promise<T> {
	await mkdir(path.dirname(paths.renderDir), { recursive: true });
	return withLock(applyLockFile(paths), work);
}

export async function apply(input: Config, options: ApplyOptions): Promise<ApplyResult> {
	return withApplyLock(options.paths, () => applyHoldingLock(input, options));
}

/** apply() for a caller that already holds the apply lock (withApplyLock). */
export async function applyHoldingLock(input: Config, options: ApplyOptions): Promise<ApplyResult> {
	const validation = validateConfig(input);
	if (!validation.ok) throw new ConfigValidationError(validation.errors);
	const config = validation.config;
	const { paths, env, controller } = options;
	await mkdir(env.socketDir, { recursive: true });
	await ensureCertificates(config, env);
	const files = renderAll(config, env, { interfaceMatch: options.network?.interfaceMatch });
	const candidate = await writeCandidate(paths.renderDir, files);
	const problems = await checkCandidate(candidate, files, options).catch(async (error: unknown) => {
		await removeDir(candidate);
		throw new ApplyError(`could not run the configuration checks: ${(error as Error).message}`, { cause: error });
	});
	if (problems.length > 0) {
		await removeDir(candidate);
		throw new RenderCheckError(problems);
	}
	const before = await readRendered(paths.renderDir);
	const previous = await swapRenderDir(paths.renderDir, candidate);
	let outcome;
	try {
		const after = await readRendered(paths.renderDir);
		outcome = await converge(controller, before, after, (daemon) => prepareDaemon(options, daemon, config, after));
	} catch (error) {
		const restored = await rollBack(options, previous, candidate);
		throw new ApplyError(`a daemon refused the new configuration (${restored}): ${(error as Error).message}`, { cause: error });
	}
	await removeDir(previous);
	const stateWarnings = await serverStatesInForce(env, config, files['haproxy.cfg']);
	let networkChanged = false;
	if (options.network !== undefined) {
		networkChanged = await writeNetworkdFiles(paths.networkdDir, files.networkd);
		if (networkChanged) await options.network.reload();
	}
	if (options.recordRunning ?? true) await writeRunningConfig(config, paths);
	return { warnings: [...validation.warnings, ...stateWarnings], ...outcome, networkChanged };
}

/** Before a daemon starts or reloads: stunnel's stable copy, haproxy's server-state file (`config` null: a rollback). */
async function prepareDaemon(options: ApplyOptions, daemon: Daemon, config: Config | null, texts: DaemonTexts): Promise<void> {
	await syncStableCopy(options.paths.renderDir, daemon);
	if (daemon === 'haproxy' && texts.haproxy !== null) {
		await beforeHaproxyLoads(options.env, config, texts.haproxy, await options.controller.isRunning('haproxy'));
	}
}

/** Puts the previous render dir back and brings the daemons to it; says how that went. */
async function rollBack(options: ApplyOptions, previous: string | null, candidate: string): Promise<string> {
	if (previous === null) return 'there was no previous configuration to put back';
	const failed = await readRendered(options.paths.renderDir);
	await swapRenderDir(options.paths.renderDir, previous);
	await removeDir(candidate);
	try {
		const restored = await readRendered(options.paths.renderDir);
		await converge(options.controller, failed, restored, (daemon) => prepareDaemon(options, daemon, null, restored));
		return 'the previous one was put back';
	} catch (error) {
		return `the previous one was put back, but restoring the daemons failed too: ${(error as Error).message}`;
	}
}
