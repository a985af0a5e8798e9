// Two appliances side by side for the HA pair's tests: each an engine process with its own EXLB_ROOT and its peer
// channel on its own loopback address (any free port), and a web server in front of it. Loopback rather than network
// namespaces: the engine's socket checks its caller's credentials through sock_diag, which sees only its own
// network namespace. Each node's own network and role are written as its console would set them at first boot (the
// API would want a moved address confirmed from the new address); the rest goes through the API.
import { defaultConfig } from '../../../services/config/schema.js';
import { saveConfig, writeRunningConfig } from '../../../services/config/store.js';
import { loggedInAdmin, type ApiClient } from '../../helpers/api-client.js';
import { startEngineUnderTest, type EngineUnderTest } from './engine-under-test.js';
import { startWebUnderTest, type WebUnderTest } from './web-under-test.js';

export interface HaNode {
	readonly host: string;
	/** Its peer channel's address (loopback) and port. */
	readonly peer: string;
	readonly peerPort: number;
	/** The address its configuration gives it (EXLB_CONTROLLER=none: written, never put on an interface). */
	readonly address: string;
	readonly engine: EngineUnderTest;
	readonly web: WebUnderTest;
	/** The admin, logged in with the factory password changed. */
	readonly api: ApiClient;
}

export interface HaNodeSpec {
	readonly host: string;
	readonly peer: string;
	readonly address: string;
	readonly netmask: string;
	readonly role: 'master' | 'backup';
}

export const pairVip = '10.77.0.50';

async function startNode(spec: HaNodeSpec): Promise<HaNode> {
	const engine = await startEngineUnderTest(undefined, { env: { EXLB_PEER_ADDRESS: spec.peer, EXLB_PEER_PORT: '0', EXLB_PEER_HEARTBEAT: '0.5' } });
	const config = defaultConfig();
	config.network = { ...config.network, source: 'static', hostname: spec.host, address: spec.address, netmask: spec.netmask };
	config.ha = { ...config.ha, role: spec.role, vip: pairVip };
	await saveConfig(config, engine.paths);
	await writeRunningConfig(config, engine.paths);
	const web = await startWebUnderTest(engine);
	const api = await loggedInAdmin(web);
	const status = await api.request('GET', '/api/v1/ha');
	if (status.status !== 200 || typeof status.body.peerPort !== 'number') throw new Error(`${spec.host}: the peer channel does not listen: ${status.text}\n${engine.output()}`);
	return { host: spec.host, peer: spec.peer, peerPort: status.body.peerPort, address: spec.address, engine, web, api };
}

/** The primary-to-be (master) and the secondary-to-be (backup), not paired yet. */
export async function startHaNodes(primary: HaNodeSpec, secondary: HaNodeSpec): Promise<[HaNode, HaNode]> {
	const first = await startNode(primary);
	try {
		return [first, await startNode(secondary)];
	} catch (error) {
		await stopHaNode(first);
		throw error;
	}
}

export async function stopHaNode(node: HaNode | undefined): Promise<void> {
	if (node === undefined) return;
	try {
		process.kill(node.engine.pid!, 'SIGCONT');
	} catch {
		// already gone
	}
	await node.api.close();
	await node.web.stop();
}
