// QEMU boot harness for exlb images: boots a disk image through its real boot loader under TCG.
//
//   import { bootGuest } from '../helpers/qemu.js';
//   const guest = await bootGuest({ disk: 'out/exlb-0.1.0.qcow2', firmware: 'uefi', controller: 'ahci',
//                                   nics: [{ model: 'e1000', netdev: { type: 'user', hostForwards: [{ guestPort: 4444 }] } }] });
//   try {
//     await guest.waitFor(/https:\/\/[0-9.]+:4444\//, { timeoutMs: 180_000 });  // console (ttyS0), ANSI stripped
//     guest.send('1\r');                                                        // type on the serial console
//     const status = await guest.statusReport({ timeoutMs: 60_000 });          // key=value lines from ttyS1
//     guest.hostPort(4444);                                                     // host port forwarded to guest 4444
//   } finally {
//     await guest.stop();                                // kills QEMU, deletes the overlay unless keepDisk
//   }
//
// Options (BootOptions below): disk (qcow2/vmdk/raw, never modified: QEMU writes to a copy-on-write overlay
// made with qemu-img create -b), overlay (reuse the overlay of an earlier guest: a reboot with the same disk;
// stop that guest with { keepDisk: true } first), firmware 'bios' (SeaBIOS) | 'uefi' (OVMF),
// controller 'virtio-blk' | 'virtio-scsi' | 'ahci' | 'pvscsi' | 'lsi-sas' (mptsas1068) | 'ide',
// nics: [{ model: 'virtio-net-pci' | 'e1000' | 'e1000e' | 'vmxnet3', mac?, netdev }] where netdev is
//   { type: 'user', hostForwards?: [{ guestPort, hostPort?, guestAddress? }],  QEMU user networking
//     guestForwards?: [{ address, port, hostPort }] }               (DHCP 10.0.2.15; guestAddress for a static one;
//                                                                  a guest forward makes address:port on QEMU's
//                                                                  network reach 127.0.0.1:hostPort on the host)
//   { type: 'tap', ifname }                                       an existing tap device (ip tuntap add ...)
//   { type: 'socket-listen', port } / { type: 'socket-connect', port }  a private L2 segment between two
//                                                                  guests over 127.0.0.1:port (start the listener first)
//   { type: 'none' }                                              a NIC with no cable
// memoryMiB (default 1024), cpus (default 2), name (for messages).
//
// Guest API: waitFor(regex, { timeoutMs, fromStart? }) resolves with the match in the console text after the
// previous match (fromStart: search everything); rejects with GuestTimeoutError carrying the transcript tail
// when the deadline passes or QEMU exits. send(text) writes to the serial console. transcript() is the raw
// console output, text() the same with ANSI escapes removed. statusReport() waits for the appliance's status
// report on ttyS1 (exlb-status.service) and returns it as a key→value map. qmp(command, args) runs a QMP command
// (set_link, stop, cont, ...; the NICs' netdevs are net0, net1, ...). stop({ keepDisk }) ends QEMU.
// Boot many guests with withBootSlot(): at most EXLB_BOOT_CONCURRENCY (default 2) guests run at once on
// the machine, counted across all ava worker processes (slot files in $TMPDIR/exlb-boot-slots); a test that
// finds no free slot within 30 min fails, naming the pids that hold them.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { execa } from 'execa';
import { claimPidFile, releasePidFile } from '../../services/os/pid.js';
import { DeadlineError, StopWaiting, waitFor } from '../../services/apply/wait.js';
import { qmpCommand } from './qmp.js';

export type Firmware = 'bios' | 'uefi';
export type DiskController = 'virtio-blk' | 'virtio-scsi' | 'ahci' | 'pvscsi' | 'lsi-sas' | 'ide';
export type NicModel = 'virtio-net-pci' | 'e1000' | 'e1000e' | 'vmxnet3';
export type Netdev =
	| { type: 'user'; hostForwards?: { guestPort: number; hostPort?: number; guestAddress?: string }[]; guestForwards?: GuestForward[] }
	| { type: 'tap'; ifname: string }
	| { type: 'socket-listen'; port: number }
	| { type: 'socket-connect'; port: number }
	| { type: 'none' };

/** Connections from the guest to `address`:`port` (an unused address of QEMU's 10.0.2.0/24) reach 127.0.0.1:`hostPort`. */
export interface GuestForward {
	address: string;
	port: number;
	hostPort: number;
}

export interface Nic {
	model: NicModel;
	netdev: Netdev;
	mac?: string;
}

export interface BootOptions {
	disk: string;
	overlay?: string;
	firmware?: Firmware;
	controller?: DiskController;
	nics?: Nic[];
	memoryMiB?: number;
	cpus?: number;
	name?: string;
}

export class GuestTimeoutError extends Error {
	override readonly name = 'GuestTimeoutError';
	constructor(message: string, readonly transcriptTail: string, options?: { cause?: unknown }) {
		super(`${message}\n--- console (last lines) ---\n${transcriptTail}\n---`, options);
	}
}

const ovmfCode = '/usr/share/OVMF/OVMF_CODE_4M.fd';
const ovmfVars = '/usr/share/OVMF/OVMF_VARS_4M.fd';
// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78cDEHM]|\r/g;

export function stripAnsi(text: string): string {
	return text.replace(ansi, '');
}

/** A TCP port on 127.0.0.1 that is free right now. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

function diskFormat(file: string): string {
	const ext = path.extname(file).slice(1);
	return ext === 'img' ? 'raw' : ext;
}

function controllerArgs(controller: DiskController): string[] {
	const drive = 'drive=disk0,bootindex=0';
	switch (controller) {
		case 'virtio-blk':
			return ['-device', `virtio-blk-pci,${drive}`];
		case 'virtio-scsi':
			return ['-device', 'virtio-scsi-pci,id=scsi0', '-device', `scsi-hd,bus=scsi0.0,${drive}`];
		case 'ahci':
			return ['-device', 'ahci,id=ahci0', '-device', `ide-hd,bus=ahci0.0,${drive}`];
		case 'pvscsi':
			return ['-device', 'pvscsi,id=scsi0', '-device', `scsi-hd,bus=scsi0.0,${drive}`];
		case 'lsi-sas':
			return ['-device', 'mptsas1068,id=scsi0', '-device', `scsi-hd,bus=scsi0.0,${drive}`];
		case 'ide':
			return ['-device', `ide-hd,bus=ide.0,${drive}`];
	}
}

function netdevArgs(id: string, netdev: Netdev, forwards: Map<number, number>): string[] {
	switch (netdev.type) {
		case 'user': {
			const fwd = (netdev.hostForwards ?? []).map((f) => `,hostfwd=tcp:127.0.0.1:${forwards.get(f.guestPort)}-${f.guestAddress ?? ''}:${f.guestPort}`).join('');
			// QEMU starts the command (argv split by libslirp, no shell) for each connection; a chardev would carry one only.
			const guestFwd = (netdev.guestForwards ?? []).map((f) => `,guestfwd=tcp:${f.address}:${f.port}-cmd:socat STDIO TCP:127.0.0.1:${f.hostPort}`).join('');
			return ['-netdev', `user,id=${id}${fwd}${guestFwd}`];
		}
		case 'socket-listen':
			return ['-netdev', `socket,id=${id},listen=127.0.0.1:${netdev.port}`];
		case 'socket-connect':
			return ['-netdev', `socket,id=${id},connect=127.0.0.1:${netdev.port}`];
		case 'tap':
			return ['-netdev', `tap,id=${id},ifname=${netdev.ifname},script=no,downscript=no`];
		case 'none':
			return [];
	}
}

/** The body of a ttyS1 status report ("key=value" lines) as key → value. */
export function parseStatusReport(body: string): Record<string, string> {
	return Object.fromEntries(
		body
			.split(/\r?\n/)
			.filter((line) => line.includes('='))
			.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
	);
}

export class Guest {
	private output = '';
	private cursor = 0;
	private exitedWith: string | undefined;
	private readonly waiters = new Set<() => void>();
	private readonly exited: Promise<void>;

	constructor(
		readonly name: string,
		private readonly child: ChildProcess,
		private readonly workDir: string,
		readonly overlay: string,
		private readonly statusFile: string,
		private readonly forwards: Map<number, number>,
	) {
		child.stdout?.on('data', (chunk: Buffer) => {
			this.output += chunk.toString('utf8');
			for (const wake of [...this.waiters]) wake();
		});
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		this.exited = new Promise((resolve) => {
			child.once('exit', (code, signal) => {
				this.exitedWith = `QEMU exited (${signal ?? code})${stderr.trim() ? `: ${stderr.trim()}` : ''}`;
				for (const wake of [...this.waiters]) wake();
				resolve();
			});
		});
	}

	/** Raw console output so far. */
	transcript(): string {
		return this.output;
	}

	/** Console output with ANSI escapes and carriage returns removed. */
	text(): string {
		return stripAnsi(this.output);
	}

	tail(lines = 40): string {
		return this.text().split('\n').slice(-lines).join('\n');
	}

	/** The host port forwarded to a guest port of a 'user' NIC. */
	hostPort(guestPort: number): number {
		const port = this.forwards.get(guestPort);
		if (port === undefined) throw new Error(`${this.name}: no host forward for guest port ${guestPort}`);
		return port;
	}

	send(text: string): void {
		this.child.stdin?.write(text);
	}

	/** Waits until the console text matches; each wait continues after the previous match. */
	async waitFor(pattern: RegExp, options: { timeoutMs: number; fromStart?: boolean }): Promise<RegExpMatchArray> {
		const deadline = Date.now() + options.timeoutMs;
		return new Promise((resolve, reject) => {
			const check = (): void => {
				const text = this.text();
				const from = options.fromStart ? 0 : Math.min(this.cursor, text.length);
				const match = pattern.exec(text.slice(from));
				if (match) {
					this.cursor = from + (match.index ?? 0) + match[0].length;
					done();
					resolve(match);
				} else if (this.exitedWith !== undefined) {
					done();
					reject(new GuestTimeoutError(`${this.name}: ${this.exitedWith} before the console showed ${pattern}`, this.tail()));
				} else if (Date.now() >= deadline) {
					done();
					reject(new GuestTimeoutError(`${this.name}: console did not show ${pattern} within ${options.timeoutMs} ms`, this.tail()));
				}
			};
			const timer = setTimeout(check, options.timeoutMs + 10);
			const done = (): void => {
				clearTimeout(timer);
				this.waiters.delete(check);
			};
			this.waiters.add(check);
			check();
		});
	}

	/**
	 * The status report exlb-status.service writes to ttyS1, as key → value; `boot` picks the report of a later boot
	 * in this same QEMU process (0, the default: the first boot's; 1: after the first reboot).
	 */
	async statusReport(options: { timeoutMs: number; boot?: number }): Promise<Record<string, string>> {
		let text = '';
		const boot = options.boot ?? 0;
		try {
			const report = await waitFor(`${this.name}: the status report of boot ${boot} on ttyS1`, options.timeoutMs, async () => {
				text = await readFile(this.statusFile, 'utf8').catch(() => '');
				const found = [...text.matchAll(/EXLB-STATUS-BEGIN\r?\n([\s\S]*?)EXLB-STATUS-END/g)][boot];
				if (!found && this.exitedWith !== undefined) throw new StopWaiting(this.exitedWith);
				return found?.[1];
			}, 250);
			return parseStatusReport(report);
		} catch (error) {
			if (!(error instanceof DeadlineError || error instanceof StopWaiting)) throw error;
			throw new GuestTimeoutError(`${this.name}: no status report on ttyS1 within ${options.timeoutMs} ms (${this.exitedWith ?? 'still running'}); ttyS1 so far: ${JSON.stringify(text.slice(-500))}`, this.tail(), { cause: error });
		}
	}

	/** Runs a QMP command on this guest's monitor socket (e.g. set_link { name: 'net0', up: false }, stop, cont). */
	qmp(execute: string, args?: Record<string, unknown>): Promise<unknown> {
		return qmpCommand(path.join(this.workDir, 'qmp.sock'), execute, args);
	}

	/** Stops QEMU (SIGTERM, then SIGKILL) and deletes its files; keepDisk keeps the overlay for a reboot. */
	async stop(options: { keepDisk?: boolean } = {}): Promise<void> {
		if (this.exitedWith === undefined) {
			this.child.kill('SIGTERM');
			const killer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
			await this.exited;
			clearTimeout(killer);
		}
		if (options.keepDisk) {
			await rm(this.statusFile, { force: true });
		} else {
			await rm(this.workDir, { recursive: true, force: true });
		}
	}
}

/** Boots a guest from a copy-on-write overlay of `disk`. */
export async function bootGuest(options: BootOptions): Promise<Guest> {
	const name = options.name ?? path.basename(options.disk);
	const workDir = options.overlay ? path.dirname(options.overlay) : await mkdtemp(path.join(os.tmpdir(), 'exlb-qemu-'));
	const overlay = options.overlay ?? path.join(workDir, 'overlay.qcow2');
	if (!options.overlay) {
		await execa('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', path.resolve(options.disk), '-F', diskFormat(options.disk), overlay]);
	}
	const statusFile = path.join(workDir, 'ttyS1.txt');
	const args = ['-accel', 'tcg', '-machine', 'pc', '-m', String(options.memoryMiB ?? 1024), '-smp', String(options.cpus ?? 2)];
	args.push('-nodefaults', '-display', 'none', '-vga', 'std', '-no-user-config');
	args.push('-chardev', 'stdio,id=console,signal=off', '-serial', 'chardev:console', '-serial', `file:${statusFile}`);
	args.push('-qmp', `unix:${path.join(workDir, 'qmp.sock')},server=on,wait=off`);
	if ((options.firmware ?? 'bios') === 'uefi') {
		const vars = path.join(workDir, 'OVMF_VARS.fd');
		if (!options.overlay) await copyFile(ovmfVars, vars);
		args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${ovmfCode}`, '-drive', `if=pflash,format=raw,unit=1,file=${vars}`);
	}
	args.push('-drive', `if=none,id=disk0,format=qcow2,file=${overlay}`, ...controllerArgs(options.controller ?? 'virtio-blk'));
	const forwards = new Map<number, number>();
	for (const [index, nic] of (options.nics ?? [{ model: 'virtio-net-pci', netdev: { type: 'user' } }]).entries()) {
		const id = `net${index}`;
		if (nic.netdev.type === 'user') {
			for (const forward of nic.netdev.hostForwards ?? []) forwards.set(forward.guestPort, forward.hostPort ?? (await freePort()));
		}
		args.push(...netdevArgs(id, nic.netdev, forwards));
		const mac = nic.mac ? `,mac=${nic.mac}` : '';
		args.push('-device', nic.netdev.type === 'none' ? `${nic.model}${mac}` : `${nic.model},netdev=${id}${mac}`);
	}
	const child = spawn('qemu-system-x86_64', args, { stdio: ['pipe', 'pipe', 'pipe'] });
	return new Guest(name, child, workDir, overlay, statusFile, forwards);
}

const slotDir = path.join(os.tmpdir(), 'exlb-boot-slots');

/** How long a test waits for a free boot slot before failing with the slots' holders named. */
const slotDeadlineMs = 30 * 60_000;

/** Takes one of `limit` slot files shared by every test process on this machine; returns its release. */
async function takeSlot(limit: number): Promise<() => Promise<void>> {
	await mkdir(slotDir, { recursive: true });
	return waitFor(`one of ${limit} boot slots in ${slotDir}`, slotDeadlineMs, async () => {
		const holders: number[] = [];
		for (let slot = 0; slot < limit; slot += 1) {
			const file = path.join(slotDir, `slot-${slot}`);
			// A slot left by a dead test process is taken over (claimPidFile).
			const claim = await claimPidFile(file);
			if (claim.claimed) return () => releasePidFile(file);
			holders.push(claim.owner ?? 0);
		}
		throw new Error(`every slot is held, by pids ${holders.join(', ')}`);
	}, 500);
}

/**
 * Runs `body` while holding a boot slot: at most `limit` guests boot at once across all test
 * processes (ava runs test files in parallel; guests are CPU-bound under TCG and there are 2 cores).
 * The test's own timeout, `timeoutMs`, starts once the slot is taken: the wait for a slot is bounded
 * by the slot deadline, not charged to the guest (a guest queued behind two others used to time out).
 */
export async function withBootSlot<T>(t: ExecutionContext, timeoutMs: number, body: () => Promise<T>, limit = Number(process.env.EXLB_BOOT_CONCURRENCY ?? 2)): Promise<T> {
	t.timeout(slotDeadlineMs + timeoutMs, 'waiting for a boot slot');
	const release = await takeSlot(limit);
	t.timeout(timeoutMs, 'the guest, once it had its boot slot');
	try {
		return await body();
	} finally {
		await release();
	}
}
