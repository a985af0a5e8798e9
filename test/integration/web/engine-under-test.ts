// The engine the web server's tests talk to; the only place that knows how it is started: the real entry
// (`node --import tsx services/engine/main.ts`) as a child process in a temp EXLB_ROOT, with EXLB_CONTROLLER=none
// (no daemon is driven; the image's haproxy/stunnel still check every configuration, found on PATH), no systemd
// (reboot and power-off are only logged, and the tests read them from its log) and its firmware slots as files in
// the temp root (EXLB_FIRMWARE_PLATFORM; slot A running 9.9.9, nothing trusted: the firmware tests give their own).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { StopWaiting, waitFor } from '../../../services/apply/wait.js';
import { appliancePaths, type AppliancePaths } from '../../../services/paths.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface EngineUnderTest {
	readonly paths: AppliancePaths;
	readonly socketPath: string;
	/** Its process id (undefined when the engine runs inside the test's process). */
	readonly pid?: number;
	/** What the engine was asked to do without systemd (reboot, power-off, unit actions), from its log. */
	readonly systemLog: readonly string[];
	/** Everything it wrote so far (its log). */
	output(): string;
	stop(): Promise<void>;
}

export interface EngineUnderTestOptions {
	/** Run it inside this network namespace (`ip netns exec`, which execs: the pid is the engine's). */
	readonly netns?: string;
	/** More environment (e.g. the HA peer channel's EXLB_PEER_*, EXLB_FIRMWARE_PLATFORM for the firmware tests). */
	readonly env?: Readonly<Record<string, string>>;
}

const defaultNodeArgs = ['--import', 'tsx', path.join(repoRoot, 'services/engine/main.ts')];

/** `nodeArgs`: how node runs the engine (default: its TypeScript entry through tsx; the benchmark gives the bundle). */
export async function startEngineUnderTest(nodeArgs = defaultNodeArgs, options: EngineUnderTestOptions = {}): Promise<EngineUnderTest> {
	const root = await mkdtemp(path.join(tmpdir(), 'exlb-engine-'));
	const paths = appliancePaths(root);
	let output = '';
	const [file, args] = options.netns === undefined ? ['node', nodeArgs] : ['ip', ['netns', 'exec', options.netns, process.execPath, ...nodeArgs]];
	const child = execa(file, args, {
		cwd: repoRoot,
		reject: false,
		all: true,
		env: { EXLB_ROOT: root, EXLB_CONTROLLER: 'none', EXLB_INTERFACE: 'eth0', EXLB_ENGINE_USERS: '', EXLB_VERSION: '9.9.9', EXLB_BUILD_DATE: '2026-01-01',
			EXLB_FIRMWARE_PLATFORM: `files:${path.join(root, 'firmware')}`, ...options.env },
	});
	child.all?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
	const stop = async () => {
		child.kill('SIGTERM');
		await child;
	};
	try {
		await waitFor('the engine listening on its socket', 60_000, () => {
			if (child.exitCode !== null) throw new StopWaiting(`the engine exited (${child.exitCode}): ${output}`);
			return output.includes('engine: listening on');
		}, 50);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		paths,
		socketPath: paths.engineSocket,
		pid: child.pid,
		get systemLog() {
			return output.split('\n').filter((line) => line.startsWith('no systemd on this machine'));
		},
		output: () => output,
		stop,
	};
}
