// The appliance's side of the boot: the boot state on the mounted ESP (read-only, remounted read-write for the
// length of one write), the slots' block devices by partition name, and the health checks of a boot.
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import path from 'node:path';
import { StopWaiting } from '../apply/wait.js';
import { runCommand, tryCommand } from '../os/exec.js';
import { directoryEnvCopies, GrubEnvBootState, type EnvCopies } from './boot-env.js';
import type { SlotName } from './boot-state.js';
import type { HealthCheck } from './boot-check.js';
import { SlotError } from './bundle-errors.js';
import { brokenBootCheckMarker, espBootDir, espMountPoint, slotPartitionLabels } from './esp-layout.js';

/** The mount point's file system type from /proc/self/mountinfo, undefined when nothing is mounted there. */
export async function mountedType(mountPoint: string): Promise<string | undefined> {
	const mountInfo = await readFile('/proc/self/mountinfo', 'utf8');
	for (const line of mountInfo.split('\n')) {
		const [before, after] = line.split(' - ');
		if (before?.split(' ')[4] === mountPoint) return after?.split(' ')[0];
	}
	return undefined;
}

async function ensureMounted(mountPoint: string): Promise<void> {
	if ((await mountedType(mountPoint)) !== undefined) return;
	await runCommand('mount', [mountPoint]).catch((error: unknown) => {
		throw new SlotError('ESP', mountPoint, 'cannot be mounted (fstab entry LABEL=EXLB-ESP)', { cause: error });
	});
}

/** One write at a time in this process: the remounts of two writes must not interleave. */
let writes: Promise<unknown> = Promise.resolve();

/** The boot state copies on the ESP: read while mounted read-only, written in place between two remounts. */
export function espEnvCopies(mountPoint = espMountPoint): EnvCopies {
	const files = directoryEnvCopies(path.join(mountPoint, espBootDir));
	return {
		async read(index) {
			await ensureMounted(mountPoint);
			return files.read(index);
		},
		write(index, block) {
			const write = writes.then(async () => {
				await ensureMounted(mountPoint);
				await runCommand('mount', ['-o', 'remount,rw', mountPoint]).catch((error: unknown) => {
					throw new SlotError('ESP', mountPoint, 'cannot be remounted read-write for the boot state', { cause: error });
				});
				try {
					await files.write(index, block);
				} finally {
					await runCommand('mount', ['-o', 'remount,ro', mountPoint]);
				}
			});
			writes = write.catch(() => undefined);
			return write;
		},
	};
}

export function applianceBootState(runningVersion?: string): GrubEnvBootState {
	return new GrubEnvBootState(espEnvCopies(), runningVersion);
}

/** A slot's block device, by its GPT partition name (udev's by-partlabel link). */
export function applianceSlotDevice(slot: SlotName): string {
	return `/dev/disk/by-partlabel/${slotPartitionLabels[slot]}`;
}

async function unitActive(unit: string): Promise<string | undefined> {
	const outcome = await tryCommand('systemctl', ['is-active', unit]);
	const state = outcome.stdout.trim();
	return state === 'active' ? undefined : `${unit} is ${state || 'unknown'}`;
}

/** Any HTTP answer below 500 from the web interface on loopback (its certificate is self-signed). */
function webAnswers(port: number): Promise<string | undefined> {
	return new Promise((resolve) => {
		const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', rejectUnauthorized: false, timeout: 5000 }, (res) => {
			res.resume();
			resolve(res.statusCode !== undefined && res.statusCode < 500 ? undefined : `answered HTTP ${res.statusCode}`);
		});
		req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
		req.on('error', (error) => resolve(error.message));
		req.end();
	});
}

/** What a working appliance shows: the data partition, the configuration applied, haproxy, the web interface. */
export function applianceHealthChecks(webPort = 4444): HealthCheck[] {
	return [
		{
			name: 'test build switch',
			// Not retried: the file will not go away.
			probe: async () => {
				if (await readFile(brokenBootCheckMarker).then(() => true, () => false)) throw new StopWaiting(`${brokenBootCheckMarker} exists (an EXLB_TEST_BREAK_BOOT_CHECK=1 build)`);
				return undefined;
			},
		},
		{ name: 'data partition mounted', probe: async () => ((await mountedType('/data')) === 'ext4' ? undefined : '/data is not an ext4 mount') },
		{ name: 'configuration applied', probe: () => unitActive('exlb-apply.service') },
		{ name: 'haproxy running', probe: () => unitActive('haproxy.service') },
		{ name: 'web interface answering', probe: () => webAnswers(webPort) },
	];
}
