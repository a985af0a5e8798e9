// The haproxy.cfg of the factory configuration with two CAS and one HUB, changed by `mutate`, and one of its sections.
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { renderAll, localRenderEnv, type RenderEnv } from '../../../services/render/index.js';
import type { RenderAllOptions } from '../../../services/render/index.js';

export const env = localRenderEnv('/tmp/exlb-unit', { interface: 'eth0' });

export function render(mutate: (config: Config) => void, options: RenderAllOptions & { env?: RenderEnv } = {}) {
	const config = defaultConfig();
	config.casServers = ['10.0.0.1', '10.0.0.2'];
	config.hubServers = ['10.0.0.9'];
	mutate(config);
	return renderAll(config, options.env ?? env, options);
}

/** The lines of one section (`frontend NAME`, `backend NAME`, `global`, `defaults`) of haproxy.cfg. */
export function section(cfg: string, header: string): string {
	const found = cfg.indexOf(`\n${header}\n`);
	if (found < 0) throw new Error(`no section ${header}`);
	const start = found + 1;
	const end = cfg.indexOf('\n\n', start);
	return cfg.slice(start, end < 0 ? undefined : end);
}
