// The HA peer channel's settings, from the engine's environment:
//   EXLB_PEER_PORT       the port (default 4445; 0: any free port, for tests)
//   EXLB_PEER_ADDRESS    the address it listens on (default 0.0.0.0)
//   EXLB_PEER_HEARTBEAT  seconds between two heartbeats to the peer (default 5)
import type { PeerChannelSettings } from './ha-service.js';
import { defaultPeerPort } from './peer-protocol.js';

export class PeerSettingsError extends Error {
	override readonly name = 'PeerSettingsError';
}

export function peerChannelSettings(environment: NodeJS.ProcessEnv): PeerChannelSettings {
	const port = Number(environment.EXLB_PEER_PORT ?? String(defaultPeerPort));
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PeerSettingsError(`EXLB_PEER_PORT=${JSON.stringify(environment.EXLB_PEER_PORT)} is not a port (0-65535)`);
	const seconds = Number(environment.EXLB_PEER_HEARTBEAT ?? '5');
	if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 600) {
		throw new PeerSettingsError(`EXLB_PEER_HEARTBEAT=${JSON.stringify(environment.EXLB_PEER_HEARTBEAT)} is not a number of seconds (0.1-600)`);
	}
	return { port, address: environment.EXLB_PEER_ADDRESS ?? '0.0.0.0', heartbeatMs: seconds * 1000 };
}
