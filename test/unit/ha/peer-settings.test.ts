import test from 'ava';
import { peerChannelSettings, PeerSettingsError } from '../../../services/ha/peer-settings.js';

test('the peer channel\'s settings: 4445 on every address, a heartbeat every 5 s, unless the environment says otherwise', (t) => {
	t.deepEqual(peerChannelSettings({}), { port: 4445, address: '0.0.0.0', heartbeatMs: 5000 });
	t.deepEqual(peerChannelSettings({ EXLB_PEER_PORT: '0', EXLB_PEER_ADDRESS: '127.0.0.2', EXLB_PEER_HEARTBEAT: '0.5' }), { port: 0, address: '127.0.0.2', heartbeatMs: 500 });
	t.throws(() => peerChannelSettings({ EXLB_PEER_PORT: '70000' }), { instanceOf: PeerSettingsError, message: 'EXLB_PEER_PORT="70000" is not a port (0-65535)' });
	t.throws(() => peerChannelSettings({ EXLB_PEER_HEARTBEAT: 'often' }), { instanceOf: PeerSettingsError });
});
