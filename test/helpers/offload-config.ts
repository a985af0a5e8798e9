// The configuration the checker tests render: factory settings, one CAS, HTTPS offloaded by stunnel.
import { defaultConfig, type Config } from '../../services/config/schema.js';

export function offloadConfig(): Config {
	const config = defaultConfig();
	config.casServers = ['10.0.0.1'];
	config.http.mode = 'ssl-offload';
	return config;
}
