// Which services a configuration turns on: read by the checks and by the renderers alike.
import type { Config, MailMode } from './schema.js';

export const mailModeUses = (mode: MailMode) => ({
	clear: mode === 'clear' || mode.startsWith('clear-and-'),
	sslForward: mode.endsWith('ssl-forward'),
	sslOffload: mode.endsWith('ssl-offload'),
});

/** True when the RPC services are rendered: enabled, and only Exchange 2010 has them. */
export function rpcActive(config: Config): boolean {
	return config.rpc.mode === 'enabled' && config.exchangeVersion === '2010';
}
