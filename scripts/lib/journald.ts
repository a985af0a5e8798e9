// The image's systemd-journald, configured like the appliance's (image/overlay/.../journald.conf.d/zz-exlb.conf): the
// local log target of the logging benchmark, so its cost is journald's own. It runs in the host's network namespace
// (inside `ip netns exec` it finds no cgroup tree and exits); haproxy reaches its socket by path from any namespace.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { waitFor } from '../../services/apply/wait.js';
import { repoRoot } from '../../test/helpers/image-artifacts.js';

const SCRIPT = fileURLToPath(new URL('./image-journal.sh', import.meta.url));
const APPLIANCE_CONF = path.join(repoRoot, 'image/overlay/usr/lib/systemd/journald.conf.d/zz-exlb.conf');

export interface Journald {
	/** The running daemon (a new one after ensureRunning() restarted it). */
	readonly child: ChildProcess;
	/** journald in a namespace exits after 30 s without a client: started again when it has. */
	ensureRunning(): Promise<void>;
	/** Its syslog socket: haproxy's local log target. */
	readonly devLog: string;
	/** Stored lines that contain `text` (the image's journalctl on the namespace's files). */
	countStored(text: string): Promise<number>;
	stop(): Promise<void>;
}

export async function startJournald(dir: string): Promise<Journald> {
	const rootfs = path.resolve(process.env.EXLB_SHIPPED_ROOTFS ?? path.join(repoRoot, 'out/rootfs'));
	const namespace = `exlbbench${process.pid}`;
	const conf = path.join(dir, 'journald.conf');
	// Audit=no: a journald outside PID 1's control would otherwise read the host's audit messages.
	await writeFile(conf, `${await readFile(APPLIANCE_CONF, 'utf8')}Audit=no\n`);
	const socketDir = `/run/systemd/journal.${namespace}`;
	const machineId = readFileSync(path.join(rootfs, 'etc/machine-id'), 'utf8').trim();
	const journalDir = `/run/log/journal/${machineId}.${namespace}`;
	const devLog = path.join(socketDir, 'dev-log');
	const start = async (): Promise<ChildProcess> => {
		const log = openSync(path.join(dir, 'journald.out'), 'a');
		const started = spawn(SCRIPT, ['daemon', rootfs, conf, namespace], { stdio: ['ignore', log, log] });
		closeSync(log);
		await waitFor('journald\'s dev-log socket', 10_000, () => existsSync(devLog) || started.exitCode !== null, 50);
		if (started.exitCode !== null) throw new Error(`journald exited (${started.exitCode}): see ${path.join(dir, 'journald.out')}`);
		return started;
	};
	let child = await start();
	return {
		get child() {
			return child;
		},
		async ensureRunning() {
			if (child.exitCode === null && child.signalCode === null) return;
			// Its socket file outlives it: gone first, so the wait above sees the new daemon's.
			await rm(devLog, { force: true });
			child = await start();
		},
		devLog,
		async countStored(text) {
			// journalctl exits 1 when nothing matches.
			const { stdout } = await execa(SCRIPT, ['read', rootfs, journalDir, text], { reject: false, timeout: 120_000 });
			return stdout.split('\n').filter((line) => line.includes(text)).length;
		},
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				const gone = once(child, 'exit');
				child.kill('SIGTERM');
				await gone;
			}
			await rm(socketDir, { recursive: true, force: true });
			await rm(journalDir, { recursive: true, force: true });
		},
	};
}
