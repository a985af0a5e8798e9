// renderAll: every daemon config of the appliance from one validated Config, plus the line → field maps
// apply() uses to say which field a checker's complaint is about.
import type { Config } from '../config/schema.js';
import type { RenderEnv } from './env.js';
import { renderHaproxy } from './haproxy.js';
import { renderStunnel } from './stunnel.js';
import { renderKeepalived } from './keepalived.js';
import { renderNetworkd } from './networkd.js';

import { allDaemons, configFileName, type Daemon } from './daemons.js';

export type { RenderEnv } from './env.js';
export { allDaemons, configFileName, isStunnel, type Daemon } from './daemons.js';
export { applianceRenderEnv, localRenderEnv } from './env.js';

export interface RenderedFiles {
	readonly 'haproxy.cfg': string;
	readonly 'keepalived.conf': string | null;
	/** One file per offloaded service: `stunnel-https.conf`, `stunnel-imaps.conf`, ... (one stunnel process each). */
	readonly stunnel: Record<string, string>;
	readonly networkd: Record<string, string>;
	/** Per daemon config file: lineFields[file][n - 1] is the config field line n came from (null for fixed text). */
	readonly lineFields: Readonly<Record<string, readonly (string | null)[]>>;
}

/** Each daemon's config text (null: the daemon has nothing to do and does not run). */
export function daemonTexts(files: RenderedFiles): Record<Daemon, string | null> {
	return Object.fromEntries(allDaemons.map((daemon) => {
		const name = configFileName(daemon);
		const text = daemon === 'haproxy' ? files['haproxy.cfg'] : daemon === 'keepalived' ? files['keepalived.conf'] : files.stunnel[name] ?? null;
		return [daemon, text];
	})) as Record<Daemon, string | null>;
}

export interface RenderAllOptions {
	/** networkd [Match] Name= pattern (see renderNetworkd). */
	readonly interfaceMatch?: string;
	/** What syslog.server resolved to, when it is a host name (resolveSyslogServer, at apply time). */
	readonly syslogAddress?: string | null;
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
	const haproxy = renderHaproxy(config, env, { syslogAddress: options.syslogAddress });
	const stunnel = renderStunnel(config, env);
	const keepalived = renderKeepalived(config, env);
	const lineFields: Record<string, readonly (string | null)[]> = { 'haproxy.cfg': haproxy.fields, 'keepalived.conf': keepalived?.fields ?? [] };
	for (const [name, text] of stunnel) lineFields[name] = text.fields;
	return {
		'haproxy.cfg': haproxy.toString(),
		'keepalived.conf': keepalived?.toString() ?? null,
		stunnel: Object.fromEntries([...stunnel].map(([name, text]) => [name, text.toString()])),
		networkd: renderNetworkd(config.network, { interfaceMatch: options.interfaceMatch }),
		lineFields,
	};
}
