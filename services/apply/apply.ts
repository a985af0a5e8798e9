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
import { allDaemons, isStunnel } from '../render/daemons.js';
import { converge } from './converge.js';
import { RenderCheckError, ApplyError, type CheckProblem } from './errors.js';
import { writeCandidate, swapRenderDir, readRendered, removeDir, syncStableCopy, type DaemonTexts } from './render-dir.js';
import { writeNetworkdFiles } from './network.js';
import { applyClock, clockDirs, type ClockTarget } from './clock.js';
import { withLock } from './lock.js';
import { resolveSyslogServer } from './syslog-address.js';
import { beforeHaproxyLoads, serverStatesInForce } from '../haproxy/after-apply.js';

export interface ApplyOptions {
	readonly paths: AppliancePaths;
	readonly env: RenderEnv;
	readonly controller: ServiceController;
	/** Run keepalived's check inside this network namespace (tests; its interface must exist there). */
	readonly checkNetns?: string;
	/** Also write the networkd files and reload the network (the appliance's CLI does; tests do not). */
	/** The machine's network: networkd reloaded when its files change; the host name set (each apply: it is cheap). */
	readonly network?: { readonly reload: () => Promise<void>; readonly setHostname?: (name: string) => Promise<void>; readonly interfaceMatch?: string };
	/** Also put the clock settings in force (NTP servers, time zone): the appliance does; tests and hosts do not. */
	readonly clock?: ClockTarget;
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

/** The daemons of the services whose startup is manual: apply never starts them itself. */
export function manualDaemons(config: Config): Set<Daemon> {
	const manual = new Set<Daemon>();
	if (config.startup.haproxy === 'manual') manual.add('haproxy');
	if (config.startup.vrrp === 'manual') manual.add('keepalived');
	if (config.startup.stunnel === 'manual') for (const daemon of allDaemons.filter(isStunnel)) manual.add(daemon);
	return manual;
}

/** The file whose owner may change the running configuration (see withApplyLock). */
export function applyLockFile(paths: AppliancePaths): string {
	return `${paths.renderDir}.lock`;
}

/**
 * Runs `work` as the only change to the running configuration on this machine: a read-modify-apply inside it
 * cannot lose another's update. A second caller waits at most `waitMs` (default: refused at once), then gets
 * ApplyLockBusyError ("another apply is running").
 */
export async function withApplyLock<T>(paths: AppliancePaths, work: () => Promise<T>, waitMs = 0): Promise<T> {
	await mkdir(path.dirname(paths.renderDir), { recursive: true });
	return withLock(applyLockFile(paths), work, waitMs);
}

export async function apply(input: Config, options: ApplyOptions): Promise<ApplyResult> {
	return withApplyLock(options.paths, () => applyHoldingLock(input, options));
}

interface Candidate {
	readonly config: Config;
	readonly warnings: ConfigIssue[];
	readonly files: RenderedFiles;
	/** The rendered files, checked by the daemons, in a directory beside the render dir. */
	readonly dir: string;
}

/** validate → render into a candidate dir → the daemons' own checks; the dir is removed again on any refusal. */
async function prepareCandidate(input: Config, options: ApplyOptions): Promise<Candidate> {
	const validation = validateConfig(input);
	if (!validation.ok) throw new ConfigValidationError(validation.errors);
	const config = validation.config;
	await mkdir(options.env.socketDir, { recursive: true });
	await ensureCertificates(config, options.env);
	const syslog = await resolveSyslogServer(config);
	const warnings = syslog.warning === null ? validation.warnings : [...validation.warnings, syslog.warning];
	const files = renderAll(config, options.env, { interfaceMatch: options.network?.interfaceMatch, syslogAddress: syslog.address });
	const dir = await writeCandidate(options.paths.renderDir, files);
	const problems = await checkCandidate(dir, files, options).catch(async (error: unknown) => {
		await removeDir(dir);
		throw new ApplyError(`could not run the configuration checks: ${(error as Error).message}`, { cause: error });
	});
	if (problems.length > 0) {
		await removeDir(dir);
		throw new RenderCheckError(problems);
	}
	return { config, warnings, files, dir };
}

/** Everything apply() checks before it changes anything, and nothing else: the warnings, or the refusal. */
export async function checkConfig(input: Config, options: ApplyOptions): Promise<ConfigIssue[]> {
	const candidate = await prepareCandidate(input, options);
	await removeDir(candidate.dir);
	return candidate.warnings;
}

/** apply() for a caller that already holds the apply lock (withApplyLock). */
export async function applyHoldingLock(input: Config, options: ApplyOptions): Promise<ApplyResult> {
	const { paths, controller } = options;
	const { config, warnings, files, dir: candidate } = await prepareCandidate(input, options);
	const before = await readRendered(paths.renderDir);
	const previous = await swapRenderDir(paths.renderDir, candidate);
	let outcome;
	try {
		const after = await readRendered(paths.renderDir);
		outcome = await converge(controller, before, after, (daemon) => prepareDaemon(options, daemon, config, after), manualDaemons(config));
	} catch (error) {
		const restored = await rollBack(options, previous, candidate);
		throw new ApplyError(`a daemon refused the new configuration (${restored}): ${(error as Error).message}`, { cause: error });
	}
	await removeDir(previous);
	const stateWarnings = await serverStatesInForce(options.env, config, files['haproxy.cfg']);
	let networkChanged = false;
	if (options.network !== undefined) {
		networkChanged = await writeNetworkdFiles(paths.networkdDir, files.networkd);
		if (networkChanged) await options.network.reload();
		await options.network.setHostname?.(config.network.hostname);
	}
	if (options.clock !== undefined) {
		for (const dir of clockDirs(options.clock)) await mkdir(dir, { recursive: true });
		await applyClock(config.system, options.clock);
	}
	if (options.recordRunning ?? true) await writeRunningConfig(config, paths);
	return { warnings: [...warnings, ...stateWarnings], ...outcome, networkChanged };
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
