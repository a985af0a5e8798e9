// The engine under test, in the lb namespace: a Config built from defaultConfig() + edits and validated
// by validateConfig, rendered by renderAll and run by the engine's apply().
import path from 'node:path';
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { validateConfig, formatIssue } from '../../../services/config/validate.js';
import { localRenderEnv, type RenderEnv } from '../../../services/render/index.js';
import type { Lan } from './netns.js';
import { NETMASK } from './netns.js';
import { appliancePaths, type AppliancePaths } from '../../../services/paths.js';
import { apply, ProcessController, type ApplyOptions, type ApplyResult } from '../../../services/apply/index.js';

export const SITE_NAME = 'mail.exlb.test';

/** The test site's config: defaults + the lb address, the given CAS and HUB hosts, the site name, ssl-offload, then `edit`. Always validated. */
export function siteConfig(lan: Lan, cas: readonly string[], hubs: readonly string[], edit?: (config: Config) => void): Config {
	const config = defaultConfig();
	config.network.source = 'static';
	config.network.hostname = 'exlb-test';
	config.network.address = lan.addr('lb');
	config.network.netmask = NETMASK;
	config.casServers = cas.map((h) => lan.addr(h));
	config.hubServers = hubs.map((h) => lan.addr(h));
	config.http.hostName = SITE_NAME;
	config.http.mode = 'ssl-offload';
	edit?.(config);
	const result = validateConfig(config);
	if (!result.ok) throw new Error(`test config is invalid:\n${result.errors.map(formatIssue).join('\n')}`);
	return result.config;
}

export interface EngineUnderTest {
	readonly env: RenderEnv;
	readonly paths: AppliancePaths;
	readonly controller: ProcessController;
	/** The running haproxy's stats socket. */
	readonly statsSocket: string;
	/** What apply() is given (for the appliance service's functions, e.g. changeRunningConfig). */
	readonly applyOptions: ApplyOptions;
	/** Applies a config through the engine's apply() (render → checks → swap → start/reload/stop). */
	apply(config: Config): Promise<ApplyResult>;
	stop(): Promise<void>;
}

export interface EngineOptions {
	/** haproxy's local log target (the appliance's is /dev/log, the journal), e.g. udp@127.0.0.1:5140 in its namespace. */
	readonly logTarget?: string;
}

/** The engine with its state under `dir` (EXLB_ROOT-style paths) and its daemons in `host`'s namespace. */
export async function startEngine(lan: Lan, dir: string, host = 'lb', options: EngineOptions = {}): Promise<EngineUnderTest> {
	const paths = appliancePaths(dir);
	const env = { ...localRenderEnv(path.join(dir, 'run'), { certDir: paths.certDir, bindAddress: '', interface: 'eth0' }), logTarget: options.logTarget ?? null };
	const controller = new ProcessController({ renderDir: paths.renderDir, env, netns: lan.ns(host) });
	const applyOptions: ApplyOptions = { paths, env, controller, checkNetns: lan.ns(host) };
	return {
		env,
		paths,
		controller,
		statsSocket: env.haproxyStatsSocket,
		applyOptions,
		apply: (config) => apply(config, applyOptions),
		stop: () => controller.stopAll(),
	};
}
