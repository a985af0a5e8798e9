// Shared by the render-check tests: every combination of service modes and a bounded worker pool.
import { httpModes, mailModes, rpcModes, haRoles, exchangeVersions, defaultConfig, type Config } from '../../services/config/schema.js';

export interface Combination {
	readonly http: (typeof httpModes)[number];
	readonly imap: (typeof mailModes)[number];
	readonly pop3: (typeof mailModes)[number];
	readonly smtp: (typeof mailModes)[number];
	readonly rpc: (typeof rpcModes)[number];
	readonly ha: (typeof haRoles)[number];
	readonly version: (typeof exchangeVersions)[number];
}

export function* allCombinations(): Generator<Combination> {
	for (const http of httpModes) for (const imap of mailModes) for (const pop3 of mailModes) for (const smtp of mailModes) {
		for (const rpc of rpcModes) for (const ha of haRoles) for (const version of exchangeVersions) yield { http, imap, pop3, smtp, rpc, ha, version };
	}
}

export function configFor(combination: Combination): Config {
	const config = defaultConfig();
	config.network.source = 'static';
	config.casServers = ['10.10.0.11', '10.10.0.12', '10.10.0.13', '10.10.0.14'];
	config.hubServers = ['10.10.0.21', '10.10.0.22'];
	config.exchangeVersion = combination.version;
	config.http.mode = combination.http;
	config.imap.mode = combination.imap;
	config.pop3.mode = combination.pop3;
	config.smtp.mode = combination.smtp;
	config.rpc.mode = combination.rpc;
	config.ha.role = combination.ha;
	config.ha.vip = combination.ha === 'disabled' ? '' : '192.168.0.201';
	return config;
}

/** Runs `work` over `items` with at most `limit` running at once; resolves to the results in order. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]!);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}
