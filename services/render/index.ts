// renderAll: every daemon config of the appliance from one validated Config, plus the line → field maps
// apply() uses to say which field a checker's complaint is about.
import type { Config } from '../config/schema.js';
import type { RenderEnv } from './env.js';
import { renderHaproxy } from './haproxy.js';
import { renderStunnel } from './stunnel.js';
import { renderKeepalived } from './keepalived.js';
import { renderNetworkd } from './networkd.js';

export type { RenderEnv } from './env.js';
export { applianceRenderEnv, localRenderEnv } from './env.js';

export type DaemonConfigName = 'haproxy.cfg' | 'stunnel.conf' | 'keepalived.conf';

export interface RenderedFiles {
	readonly 'haproxy.cfg': string;
	readonly 'stunnel.conf': string | null;
	readonly 'keepalived.conf': string | null;
	readonly networkd: Record<string, string>;
	/** Per daemon config: lineFields[file][n - 1] is the config field line n came from (null for fixed text). */
	readonly lineFields: Readonly<Record<DaemonConfigName, readonly (string | null)[]>>;
}

export interface RenderAllOptions {
	/** networkd [Match] Name= pattern (see renderNetworkd). */
	readonly interfaceMatch?: string;
}

/** Paths from the environment end up in config files: only plain path characters are allowed. */
function checkEnv(env: RenderEnv): void {
	for (const [key, value] of Object.entries(env)) {
		if (typeof value === 'string' && value !== '' && !/^[A-Za-z0-9_./:@-]+$/.test(value)) {
			throw new RangeError(`RenderEnv.${key} ${JSON.stringify(value)} has characters that cannot go into a config file`);
		}
	}
}

export function renderAll(config: Config, env: RenderEnv, options: RenderAllOptions = {}): RenderedFiles {
	checkEnv(env);
	const haproxy = renderHaproxy(config, env);
	const stunnel = renderStunnel(config, env);
	const keepalived = renderKeepalived(config, env);
	return {
		'haproxy.cfg': haproxy.toString(),
		'stunnel.conf': stunnel?.toString() ?? null,
		'keepalived.conf': keepalived?.toString() ?? null,
		networkd: renderNetworkd(config.network, options.interfaceMatch === undefined ? {} : { interfaceMatch: options.interfaceMatch }),
		lineFields: { 'haproxy.cfg': haproxy.fields, 'stunnel.conf': stunnel?.fields ?? [], 'keepalived.conf': keepalived?.fields ?? [] },
	};
}
