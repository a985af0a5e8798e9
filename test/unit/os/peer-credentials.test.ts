// Peer credentials of a unix socket connection, as the engine checks them: a real client process, run as root and as
// another user (nobody), and the parser of `ss -xnH` lines.
import test from 'ava';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { peerCredentials, peerInodeIn } from '../../../services/os/peer-credentials.js';

/** A client process connected to a fresh socket as `user` (setpriv), and the server side's answer for it. */
async function credentialsOfClient(user: 'root' | 'nobody'): Promise<{ found: Awaited<ReturnType<typeof peerCredentials>>; clientPid: number }> {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-peer-'));
	const socketPath = path.join(dir, 'engine.sock');
	let resolveAccepted: (socket: Socket) => void = () => {};
	const accepted = new Promise<Socket>((resolve) => {
		resolveAccepted = resolve;
	});
	const server = createServer((socket) => {
		server.close();
		resolveAccepted(socket);
	});
	await new Promise<void>((resolve) => server.listen(socketPath, resolve));
	// The other user must reach the socket.
	await chmod(dir, 0o755);
	await chmod(socketPath, 0o777);
	const script = `require('net').connect(${JSON.stringify(socketPath)}).on('connect', () => setTimeout(() => {}, 60000))`;
	const node = ['node', '-e', script];
	const client = user === 'root'
		? execa('node', node.slice(1), { reject: false })
		: execa('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', ...node], { reject: false });
	try {
		const socket = await accepted;
		const found = await peerCredentials(socket);
		socket.destroy();
		return { found, clientPid: client.pid! };
	} finally {
		client.kill('SIGKILL');
		await client;
		await rm(dir, { recursive: true, force: true });
	}
}

test('a client running as root: its pid and uid 0', async (t) => {
	const { found, clientPid } = await credentialsOfClient('root');
	t.is(found.pid, clientPid);
	t.is(found.uid, 0);
});

test('a client running as another user (as the web server does): its pid and that user\'s uid and gid', async (t) => {
	const { found, clientPid } = await credentialsOfClient('nobody');
	const { stdout: uid } = await execa('id', ['-u', 'nobody']);
	const { stdout: gid } = await execa('getent', ['group', 'nogroup']);
	t.is(found.pid, clientPid);
	t.is(found.uid, Number(uid));
	t.is(found.gid, Number(gid.split(':')[2]));
});

test('ss -xnH lines: the peer of an inode, with or without the state column; none for an unknown inode', (t) => {
	const listing = ['u_str ESTAB 0      0      * 1057 * 1056', 'u_str 0 0 /run/exlb-engine/engine.sock 2001 * 2002', 'u_str ESTAB 0 0 * 2002 * 2001'].join('\n');
	t.is(peerInodeIn(listing, '1057'), '1056');
	t.is(peerInodeIn(listing, '2001'), '2002');
	t.is(peerInodeIn(listing, '2002'), '2001');
	t.is(peerInodeIn(listing, '999'), null);
});
