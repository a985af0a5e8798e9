// Who is at the other end of a unix socket connection. Node has no SO_PEERCRED, so the kernel is asked through
// sock_diag (`ss -xp`, iproute2, in the image): the peer of our socket's inode names the process holding it, and
// /proc gives that process's user. Used by the engine to serve only root and the web server's user.
import { readFile, readlink } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { runCommand } from './exec.js';

export interface PeerCredentials {
	readonly pid: number;
	readonly uid: number;
	readonly gid: number;
}

export class PeerCredentialsError extends Error {
	override readonly name = 'PeerCredentialsError';
}

/** The file descriptor under a connected net.Socket (libuv's pipe handle keeps it as `fd`). */
function socketFd(socket: Socket): number {
	const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
	if (typeof fd !== 'number' || fd < 0) throw new PeerCredentialsError('the connection has no file descriptor');
	return fd;
}

/** The inode of a socket file descriptor of this process ("socket:[12345]"). */
async function socketInode(fd: number): Promise<string> {
	const link = await readlink(`/proc/self/fd/${fd}`);
	const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
	if (inode === undefined) throw new PeerCredentialsError(`fd ${fd} is not a socket (${link})`);
	return inode;
}

/** In `ss -xpnH` output, the pid holding the socket whose peer is `inode`. */
export function peerPidIn(ssOutput: string, inode: string): number | null {
	for (const line of ssOutput.split('\n')) {
		// … <local address> <local inode> <peer address> <peer inode> users:(("name",pid=N,fd=M),…)
		const match = /\s(\d+)\s+\S+\s+(\d+)\s+users:\(\("(?:[^"\\]|\\.)*",pid=(\d+),/.exec(line);
		if (match !== null && match[2] === inode && match[1] !== inode) return Number(match[3]);
	}
	return null;
}

/** Real and effective ids of a process, from /proc/PID/status (the effective ones are returned). */
export function idsIn(status: string): { uid: number; gid: number } {
	const uid = /^Uid:\s+\d+\s+(\d+)/m.exec(status)?.[1];
	const gid = /^Gid:\s+\d+\s+(\d+)/m.exec(status)?.[1];
	if (uid === undefined || gid === undefined) throw new PeerCredentialsError('no Uid/Gid line in the process status');
	return { uid: Number(uid), gid: Number(gid) };
}

export async function peerCredentials(socket: Socket): Promise<PeerCredentials> {
	const inode = await socketInode(socketFd(socket));
	const listing = await runCommand('ss', ['-xpnH', 'state', 'connected'], { timeoutMs: 5000 });
	const pid = peerPidIn(listing, inode);
	if (pid === null) throw new PeerCredentialsError(`no process holds the peer of socket ${inode}`);
	const status = await readFile(`/proc/${pid}/status`, 'utf8').catch((error: unknown) => {
		throw new PeerCredentialsError(`the peer process ${pid} is gone`, { cause: error });
	});
	return { pid, ...idsIn(status) };
}
