// What the setup tab shows about the appliance: host name, version and build, the virtual machine's model and
// UUID (DMI, readable by root only: the engine reads it), the service interface's MAC (the original's ETHID),
// time, uptime and memory.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { Static } from '@sinclair/typebox';
import type { SystemInfoSchema } from '../engine/protocol.js';

export type SystemInfo = Static<typeof SystemInfoSchema>;

export interface SystemInfoSource {
	readonly version: string;
	readonly buildDate: string;
	readonly nic: string;
	/** Root of /sys and /proc (tests point it at a fixture). */
	readonly root?: string;
}

async function firstLine(file: string): Promise<string> {
	return (await readFile(file, 'utf8').catch(() => '')).split('\n')[0]?.trim() ?? '';
}

/** MemAvailable from /proc/meminfo text, in bytes. */
export function availableBytesIn(meminfo: string): number {
	const kib = /^MemAvailable:\s+(\d+) kB/m.exec(meminfo)?.[1];
	return kib === undefined ? os.freemem() : Number(kib) * 1024;
}

export async function systemInfo(source: SystemInfoSource, now = new Date()): Promise<SystemInfo> {
	const root = source.root ?? '/';
	const at = (file: string) => `${root.replace(/\/$/, '')}${file}`;
	const [model, vendor, uuid, mac, meminfo] = await Promise.all([
		firstLine(at('/sys/class/dmi/id/product_name')),
		firstLine(at('/sys/class/dmi/id/sys_vendor')),
		firstLine(at('/sys/class/dmi/id/product_uuid')),
		firstLine(at(`/sys/class/net/${source.nic}/address`)),
		readFile(at('/proc/meminfo'), 'utf8').catch(() => ''),
	]);
	return {
		hostname: os.hostname(),
		version: source.version,
		buildDate: source.buildDate,
		model: [vendor, model].filter(Boolean).join(' ') || 'unknown',
		uuid: uuid.toLowerCase() || 'unknown',
		ethid: mac || 'unknown',
		time: now.toISOString(),
		uptimeSeconds: Math.round(os.uptime()),
		memory: { totalBytes: os.totalmem(), availableBytes: availableBytesIn(meminfo) },
	};
}
