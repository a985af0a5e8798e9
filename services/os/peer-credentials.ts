// Who is at the other end of a unix socket connection. Node has no SO_PEERCRED, so the kernel is asked through
// sock_diag (`ss -xn`, iproute2, in the image) for the peer of our socket's inode; the process holding that inode is
// found among the fd links under /proc, and /proc gives its user. Used by the engine to serve only root and the web server's user.
// (Not `ss -p`: in the appliance it did not name the web server's process, a service with its own mount namespace.)
import { readFile, readdir, readlink } from 'node:fs/promises';
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

/** In `ss -xnH` output, the inode of the peer of the socket whose inode is `inode` (null: no such connection). */
export function peerInodeIn(ssOutput: string, inode: string): string | null {
	for (const line of ssOutput.split('\n')) {
		// <netid> <recv-q> <send-q> <local address> <local inode> <peer address> <peer inode>
		const fields = line.trim().split(/\s+/);
		if (fields.length >= 7 && fields.at(-3) === inode && /^\d+$/.test(fields.at(-1)!)) return fields.at(-1)!;
	}
	return null;
}

/** The process with a file descriptor on socket `inode`, from the fd links under /proc (a process that ends meanwhile is skipped). */
export async function pidHoldingSocket(inode: string, proc = '/proc'): Promise<number | null> {
	const target = `socket:[${inode}]`;
	const pids = (await readdir(proc)).filter((name) => /^\d+$/.test(name));
	for (const pid of pids) {
		const fds = await readdir(`${proc}/${pid}/fd`).catch(() => [] as string[]);
		for (const fd of fds) {
			if ((await readlink(`${proc}/${pid}/fd/${fd}`).catch(() => '')) === target) return Number(pid);
		}
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
	const listing = await runCommand('ss', ['-xnH', 'state', 'connected'], { timeoutMs: 5000 });
	const peer = peerInodeIn(listing, inode);
	if (peer === null) throw new PeerCredentialsError(`socket ${inode} has no connected peer`);
	// Our own side is not it: a process could hold both ends, then it is its own peer.
	const pid = await pidHoldingSocket(peer);
	if (pid === null) throw new PeerCredentialsError(`no process holds socket ${peer}, the peer of socket ${inode}`);
	const status = await readFile(`/proc/${pid}/status`, 'utf8').catch((error: unknown) => {
		throw new PeerCredentialsError(`the peer process ${pid} is gone`, { cause: error });
	});
	return { pid, ...idsIn(status) };
}
