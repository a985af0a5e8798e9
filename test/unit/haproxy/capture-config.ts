// The configuration test/fixtures/haproxy/capture.ts ran when it captured the fixtures (the integration site's
// addresses): three CAS, two HUB, 2010, HTTP ssl-offload, IMAP clear + ssl-forward, SMTP clear, RPC on.
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { validateConfig, formatIssue } from '../../../services/config/validate.js';

export const cas = ['10.77.0.11', '10.77.0.12', '10.77.0.13'] as const;
export const hubs = ['10.77.0.21', '10.77.0.22'] as const;

export function captureConfig(edit?: (config: Config) => void): Config {
	const config = defaultConfig();
	config.network.source = 'static';
	config.network.address = '10.77.0.10';
	config.casServers = [...cas];
	config.hubServers = [...hubs];
	config.http.hostName = 'mail.exlb.test';
	config.http.mode = 'ssl-offload';
	config.imap.mode = 'clear-and-ssl-forward';
	config.smtp.mode = 'clear';
	config.serverStates = { [cas[1]]: 'drain', [cas[2]]: 'maint', [hubs[0]]: 'maint' };
	edit?.(config);
	const result = validateConfig(config);
	if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
	return result.config;
}
