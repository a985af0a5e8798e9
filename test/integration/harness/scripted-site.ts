// A site whose CAS answer with the scripted fake CAS (scripted-cas.mjs) on its own port, as Exchange 2013+ (no
// persistence, a healthcheck.htm per protocol): for the long-poll and NTLM tests.
import { startSite, type Site } from './site.js';
import { siteConfig } from './engine.js';
import { allServersUp } from './haproxy-stats.js';
import { startScriptedCas, type ScriptedCas } from './scripted-cas.js';
import { waitFor } from '../../../services/apply/wait.js';

export const SCRIPTED_PORT = 8080;

export interface ScriptedSite {
	readonly site: Site;
	readonly scripted: Record<string, ScriptedCas>;
	stop(): Promise<void>;
}

/** Starts the site, the scripted CAS on `cas`, applies ssl-offload 2013+ to them and waits for `backends` to be up. */
export async function startScriptedSite(cas: readonly ('cas1' | 'cas2')[], backends: readonly string[]): Promise<ScriptedSite> {
	const site = await startSite({ cas: [...cas] });
	const scripted: Record<string, ScriptedCas> = {};
	const stop = async () => {
		await Promise.allSettled(Object.values(scripted).map((s) => s.daemon.stop()));
		await site.stop();
	};
	try {
		for (const host of cas) scripted[host] = await startScriptedCas(site.lan, host, site.dir, SCRIPTED_PORT);
		await site.engine.apply(siteConfig(site.lan, cas, [], (c) => { c.exchangeVersion = '2013+'; c.rpc.mode = 'disabled'; c.http.casHttpPort = SCRIPTED_PORT; }));
		await waitFor(`${cas.join(', ')} up in ${backends.join(', ')}`, 30_000, () => allServersUp(site.engine.statsSocket, backends, cas), 100);
	} catch (error) {
		await stop();
		throw error;
	}
	return { site, scripted, stop };
}
