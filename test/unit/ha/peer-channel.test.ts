// The peer channel on loopback with real identities (Ed25519, TLS 1.3, mutual): the pinned certificate is checked
// before anything is sent, the server sees the caller's certificate, bodies are checked against the protocol, and
// refusals come back as what they are.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureIdentity, fingerprintOf, makeIdentity, type NodeIdentity } from '../../../services/ha/identity.js';
import { PeerServer, type PeerCaller, type PeerHandlers } from '../../../services/ha/peer-server.js';
import { callPeer, PeerIdentityError, PeerUnreachableError } from '../../../services/ha/peer-client.js';
import { PeerRefusal } from '../../../services/ha/peer-protocol.js';

const dir = await mkdtemp(path.join(tmpdir(), 'exlb-peer-'));
let server: NodeIdentity;
let client: NodeIdentity;
let stranger: NodeIdentity;
let peer: PeerServer;
let port = 0;
const calls: { name: string; caller: PeerCaller; body: unknown }[] = [];

const state = { hostname: 'b', haRole: 'backup', configRole: 'secondary', firmwareVersion: '1', schemaVersion: 2, sharedHash: 'a'.repeat(64), revision: 0, vrrpState: 'BACKUP', vipHeld: false } as const;
const refuse = async () => {
	throw new PeerRefusal('not-paired', 'this node is not paired');
};
const handlers: PeerHandlers = {
	pair: refuse,
	unpair: refuse,
	sync: refuse,
	syncRequest: refuse,
	serverState: async (body, caller) => {
		calls.push({ name: 'serverState', caller, body });
		return {};
	},
	state: async (body, caller) => {
		calls.push({ name: 'state', caller, body });
		return state;
	},
};

test.before(async () => {
	server = await ensureIdentity(path.join(dir, 'server.pem'));
	client = await makeIdentity(path.join(dir, 'client.pem'));
	stranger = await makeIdentity(path.join(dir, 'stranger.pem'));
	peer = new PeerServer(handlers, { identity: server, log: () => {} });
	port = await peer.listen(0, '127.0.0.1');
});

test.after.always(async () => {
	await peer.close();
	await rm(dir, { recursive: true, force: true });
});

test.serial('an identity is made once, kept (mode 0600) and read back the same; its fingerprint is the certificate\'s SHA-256', async (t) => {
	const again = await ensureIdentity(path.join(dir, 'server.pem'));
	t.is(again.fingerprint, server.fingerprint);
	t.regex(server.fingerprint, /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
	t.is(fingerprintOf(server.certificatePem), server.fingerprint);
	t.regex(server.keyPem, /BEGIN PRIVATE KEY/);
	t.not(client.fingerprint, server.fingerprint, 'every node makes its own');
});

test.serial('the pinned peer answers; each side sees the other\'s certificate', async (t) => {
	const { answer, certificatePem } = await callPeer('state', { address: '127.0.0.1', port, certificate: server.certificatePem }, client, undefined);
	t.deepEqual(answer, state);
	t.is(fingerprintOf(certificatePem), server.fingerprint);
	t.is(calls.at(-1)?.caller.fingerprint, client.fingerprint);
	t.is(calls.at(-1)?.caller.address, '127.0.0.1');
});

test.serial('a peer that presents another certificate than the pinned one gets nothing', async (t) => {
	const before = calls.length;
	const error = await t.throwsAsync(callPeer('serverState', { address: '127.0.0.1', port, certificate: stranger.certificatePem }, client, { address: '10.0.0.5', state: 'drain', hostname: 'a' }), { instanceOf: PeerIdentityError });
	t.regex(error!.message, /not the one pinned at pairing .*nothing was sent/);
	t.is(calls.length, before, 'the request never reached the server');
});

test.serial('refusals come back with their reason; a malformed body is refused before any handler', async (t) => {
	const refusal = await t.throwsAsync(callPeer('unpair', { address: '127.0.0.1', port, certificate: server.certificatePem }, client, {}), { instanceOf: PeerRefusal });
	t.is((refusal as PeerRefusal).reason, 'not-paired');
	const before = calls.length;
	const malformed = await t.throwsAsync(callPeer('serverState', { address: '127.0.0.1', port, certificate: server.certificatePem }, client, { address: 'nowhere', state: 'drain', hostname: 'a' }), { instanceOf: PeerRefusal });
	t.is((malformed as PeerRefusal).reason, 'malformed');
	t.regex(malformed!.message, /\/address/);
	t.is(calls.length, before);
});

test.serial('nobody listening: unreachable, named with the address', async (t) => {
	const closed = new PeerServer(handlers, { identity: server, log: () => {} });
	const freePort = await closed.listen(0, '127.0.0.1');
	await closed.close();
	const error = await t.throwsAsync(callPeer('state', { address: '127.0.0.1', port: freePort, certificate: server.certificatePem }, client, undefined), { instanceOf: PeerUnreachableError });
	t.regex(error!.message, new RegExp(`127\\.0\\.0\\.1:${freePort}`));
});
