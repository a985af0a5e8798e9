// One test file's whole Exchange site: the namespaces, the fake CAS/HUB servers and the engine under test
// in the lb namespace. Started once per file (test.before) and always torn down (test.after.always).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLan, NETMASK, SUBNET_PREFIX, type Lan } from './netns.js';
import { startCas, startHub, type CasServer, type HubServer } from './fake-exchange.js';
import { startEngine, type EngineUnderTest, type EngineOptions } from './engine.js';
export { SITE_NAME } from './engine.js';

/** Last address octet of every test host on the private segment. */
export const HOST_OCTETS = { lb2: 9, lb: 10, cas1: 11, cas2: 12, cas3: 13, hub1: 21, hub2: 22, syslog: 30, client: 100 } as const;
export type TestHost = keyof typeof HOST_OCTETS;

export interface Site {
	readonly lan: Lan;
	readonly dir: string;
	readonly cas: Record<string, CasServer>;
	readonly hubs: Record<string, HubServer>;
	readonly engine: EngineUnderTest;
	/** A second balancer in the lb2 namespace (HA tests), when asked for. */
	readonly backupEngine: EngineUnderTest | undefined;
	/** The balancer's address (what clients connect to). */
	readonly lb: string;
	/** Extra source addresses of the client, for source-persistence tests. */
	readonly clientSources: readonly string[];
	/** Address of a CAS/HUB host → its name, e.g. 10.77.0.11 → cas1. */
	nameOf(address: string): string | undefined;
	stop(): Promise<void>;
}

export interface SiteOptions {
	cas: readonly TestHost[];
	hubs?: readonly TestHost[];
	clientSources?: number;
	/** Also start a second balancer (host lb2) for VRRP tests. */
	backupBalancer?: boolean;
	/** More hosts on the segment, running nothing until the test starts something there (e.g. syslog). */
	extraHosts?: readonly TestHost[];
	/** How the engine in lb runs (e.g. its log target). */
	engine?: EngineOptions;
}

export async function startSite(options: SiteOptions): Promise<Site> {
	const hosts: TestHost[] = ['lb', ...(options.backupBalancer ? ['lb2' as const] : []), 'client', ...options.cas, ...(options.hubs ?? []), ...(options.extraHosts ?? [])];
	const lan = await createLan(Object.fromEntries(hosts.map((h) => [h, HOST_OCTETS[h]])));
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-it-'));
	const started: { stopAll(): Promise<void> }[] = [];
	let engine: EngineUnderTest | undefined;
	let backupEngine: EngineUnderTest | undefined;
	const stop = async () => {
		await backupEngine?.stop();
		await engine?.stop();
		await Promise.allSettled(started.map((s) => s.stopAll()));
		await lan.destroy();
		// EXLB_IT_KEEP=1 keeps the configs and logs of a run for a post-mortem.
		if (process.env.EXLB_IT_KEEP !== '1') await rm(dir, { recursive: true, force: true });
	};
	try {
		const clientSources: string[] = [];
		for (let i = 1; i <= (options.clientSources ?? 0); i++) {
			const address = `${SUBNET_PREFIX}.${HOST_OCTETS.client + i}`;
			await lan.addAddress('client', address);
			clientSources.push(address);
		}
		const cas = Object.fromEntries(await Promise.all(options.cas.map(async (h) => {
			const server = await startCas(lan, h, dir);
			started.push(server);
			return [h, server] as const;
		})));
		const hubs = Object.fromEntries(await Promise.all((options.hubs ?? []).map(async (h) => {
			const server = await startHub(lan, h, dir);
			started.push(server);
			return [h, server] as const;
		})));
		engine = await startEngine(lan, path.join(dir, 'lb'), 'lb', options.engine);
		if (options.backupBalancer) backupEngine = await startEngine(lan, path.join(dir, 'lb2'), 'lb2');
		const byAddress = new Map(hosts.map((h) => [lan.addr(h), h]));
		return { lan, dir, cas, hubs, engine, backupEngine, lb: lan.addr('lb'), clientSources, nameOf: (a) => byAddress.get(a), stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

export { NETMASK };
