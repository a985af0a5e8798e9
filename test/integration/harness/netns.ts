// A private L2 segment of network namespaces for one test file: a bridge in a "switch" namespace,
// one veth per host. Names carry the creating pid and a random tag so parallel ava files never clash,
// and namespaces left by a crashed run (creator pid gone) are removed on the next run.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { execa } from 'execa';
import { processAlive } from '../../../services/os/pid.js';

export const SUBNET_PREFIX = '10.77.0';
export const NETMASK = '255.255.255.0';
const NS_DIR = '/var/run/netns';

export class NetnsUnavailableError extends Error {
	override name = 'NetnsUnavailableError';
}

export interface Lan {
	readonly tag: string;
	/** The namespace name of a host. */
	ns(host: string): string;
	/** The host's (first) address on the segment. */
	addr(host: string): string;
	/** Adds an extra address to a host (e.g. more client source addresses). */
	addAddress(host: string, address: string): Promise<void>;
	/** Runs a command to completion inside a host's namespace (argument array, never a shell string). */
	run(host: string, file: string, args: readonly string[], options?: { timeoutMs?: number; input?: string; reject?: boolean }): Promise<{ stdout: string; stderr: string; exitCode: number }>;
	/** Whether something listens on a TCP port inside a host's namespace. */
	isListening(host: string, port: number): Promise<boolean>;
	destroy(): Promise<void>;
}

/** Fails with a clear message (not a skip) when network namespaces cannot be used here. */
export async function requireNetns(): Promise<void> {
	if (process.getuid?.() !== 0) throw new NetnsUnavailableError('integration tests need root (ip netns add); run them as root');
	const probe = `exlbprobe${process.pid}`;
	try {
		await execa('ip', ['netns', 'add', probe]);
		await execa('ip', ['netns', 'del', probe]);
	} catch (error) {
		const said = String((error as { stderr?: unknown }).stderr ?? '').trim();
		throw new NetnsUnavailableError(`\`ip netns add\` does not work on this machine${said ? ` (${said})` : ''}: the integration tests need iproute2, root and a kernel with network namespaces`, { cause: error });
	}
}

async function nsPids(ns: string): Promise<number[]> {
	const { stdout } = await execa('ip', ['netns', 'pids', ns], { reject: false });
	return stdout.split(/\s+/).filter(Boolean).map(Number);
}

/** Kills whatever still runs inside a namespace we created, then deletes it. */
async function removeNamespace(ns: string): Promise<void> {
	for (const pid of await nsPids(ns)) {
		try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
	}
	await execa('ip', ['netns', 'del', ns], { reject: false });
}

async function removeStaleNamespaces(): Promise<void> {
	let names: string[] = [];
	try { names = await readdir(NS_DIR); } catch { return; }
	for (const name of names) {
		const m = /^exlbt(\d+)x[0-9a-f]+-/.exec(name);
		if (m && !processAlive(Number(m[1]))) await removeNamespace(name);
	}
}

/** Creates the segment: `hosts` maps a host name to its last address octet. */
export async function createLan(hosts: Record<string, number>): Promise<Lan> {
	await requireNetns();
	await removeStaleNamespaces();
	const tag = `exlbt${process.pid}x${randomBytes(3).toString('hex')}`;
	const ns = (host: string) => {
		if (!(host in hosts) && host !== 'sw') throw new Error(`unknown test host ${host}`);
		return `${tag}-${host}`;
	};
	const addr = (host: string) => `${SUBNET_PREFIX}.${hosts[host]!}`;
	const created: string[] = [];
	const ip = (args: string[]) => execa('ip', args);

	const lan: Lan = {
		tag,
		ns,
		addr,
		async addAddress(host, address) {
			await ip(['-n', ns(host), 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
		},
		async run(host, file, args, options = {}) {
			const result = await execa('ip', ['netns', 'exec', ns(host), file, ...args], {
				timeout: options.timeoutMs ?? 20_000,
				input: options.input,
				reject: options.reject ?? true,
				stripFinalNewline: false,
			});
			return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
		},
		async isListening(host, port) {
			const { stdout } = await execa('ip', ['netns', 'exec', ns(host), 'ss', '-Hltn', `sport = :${port}`]);
			return stdout.trim().length > 0;
		},
		async destroy() {
			for (const name of created.reverse()) await removeNamespace(name);
		},
	};

	try {
		const sw = ns('sw');
		await ip(['netns', 'add', sw]);
		created.push(sw);
		await ip(['-n', sw, 'link', 'set', 'lo', 'up']);
		await ip(['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
		await ip(['-n', sw, 'link', 'set', 'br0', 'up']);
		for (const host of Object.keys(hosts)) {
			const name = ns(host);
			await ip(['netns', 'add', name]);
			created.push(name);
			const port = `p-${host}`;
			await ip(['-n', sw, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
			await ip(['-n', sw, 'link', 'set', port, 'master', 'br0']);
			await ip(['-n', sw, 'link', 'set', port, 'up']);
			await ip(['-n', name, 'link', 'set', 'lo', 'up']);
			await ip(['-n', name, 'addr', 'add', `${addr(host)}/24`, 'dev', 'eth0']);
			await ip(['-n', name, 'link', 'set', 'eth0', 'up']);
		}
	} catch (error) {
		await lan.destroy();
		throw error;
	}
	return lan;
}
