// The renderers' output for the factory configuration with one CAS, changed by `mutate` (stunnel and keepalived tests).
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { renderAll, localRenderEnv } from '../../../services/render/index.js';

const env = localRenderEnv('/tmp/exlb-unit', { interface: 'eth0', bindAddress: '' });

export function renderWith(mutate: (config: Config) => void) {
	const config = defaultConfig();
	config.casServers = ['10.0.0.1'];
	mutate(config);
	return renderAll(config, env);
}
