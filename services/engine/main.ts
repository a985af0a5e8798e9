// Entry point of exlb-engine.service (bundled to /usr/lib/exlb/exlb-engine.mjs): the root side of the management
// plane. It owns every change through the appliance service and answers the web server over a unix socket.
// Environment:
//   EXLB_ROOT           prefix of every appliance path (tests: a temp dir)
//   EXLB_CONTROLLER     systemd (appliance), process (daemons as children of the engine: a host, tests) or none
//   EXLB_ENGINE_SOCKET  socket path (default /run/exlb-engine/engine.sock under EXLB_ROOT)
//   EXLB_ENGINE_USERS   comma-separated users (names or uids) allowed besides root (default exlb-web); the socket's
//                       group is the first one's
//   EXLB_VERSION, EXLB_BUILD_DATE  from /usr/lib/exlb/release.env
//   EXLB_HISTORY_INTERVAL  seconds between two samples of the dashboard's traffic history (default 10)
//   EXLB_PEER_PORT      the HA peer channel's port (default 4445; 0: any free port, tests)
//   EXLB_PEER_ADDRESS   the address it listens on (default 0.0.0.0)
//   EXLB_PEER_HEARTBEAT seconds between two heartbeats to the HA peer (default 5)
//   EXLB_FIRMWARE_PLATFORM files:<dir>: the firmware slots and boot state as files (tests, a host); unset: the appliance's
import { chown, copyFile, chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { machineApplyOptions } from '../appliance/machine.js';
import { noSystemControl, systemdControl } from '../appliance/system-control.js';
import { ensureSelfSigned } from '../certs/self-signed.js';
import { selfSignedCertName } from '../config/schema.js';
import { loadRunningConfig } from '../config/store.js';
import { certificateFile } from '../render/env.js';
import { causeChain } from '../cause-chain.js';
import { composeEngine } from './compose.js';
import { peerChannelSettings } from '../ha/peer-settings.js';
import { firmwarePlatformFrom } from '../firmware/platform-choice.js';
import type { ApplianceService } from '../appliance/service.js';
import { ProcessController } from '../apply/process-controller.js';
import { resolveUsers, type SystemUser } from './users.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The web server's certificate: the appliance's generated one, readable by the web user's group only. */
async function provideWebTls(service: ApplianceService, webUser: SystemUser | undefined, tlsFile: string, certDir: string): Promise<void> {
	const config = await loadRunningConfig(service.paths);
	const source = certificateFile({ certDir }, selfSignedCertName);
	await ensureSelfSigned(config.http.hostName, source);
	await mkdir(path.dirname(tlsFile), { recursive: true });
	await copyFile(source, tlsFile);
	if (webUser !== undefined && process.getuid?.() === 0) {
		await chown(path.dirname(tlsFile), 0, webUser.gid);
		await chmod(path.dirname(tlsFile), 0o750);
		await chown(tlsFile, 0, webUser.gid);
	}
	await chmod(tlsFile, 0o640);
}

export class EngineSettingsError extends Error {
	override readonly name = 'EngineSettingsError';
}

function historyIntervalMs(value: string | undefined): number {
	const seconds = Number(value ?? '10');
	if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 600) throw new EngineSettingsError(`EXLB_HISTORY_INTERVAL=${JSON.stringify(value)} is not a number of seconds (0.1-600)`);
	return seconds * 1000;
}

async function main(): Promise<void> {
	const environment = process.env;
	const sampleEveryMs = historyIntervalMs(environment.EXLB_HISTORY_INTERVAL);
	const options = machineApplyOptions(environment);
	const { paths } = options;
	const { users, unknown } = await resolveUsers((environment.EXLB_ENGINE_USERS ?? 'exlb-web').split(',').filter(Boolean));
	if (unknown.length > 0) log(`engine: unknown users ${unknown.join(', ')} are not allowed on the socket`);
	const peer = peerChannelSettings(environment);
	const { service, server, sampler, ha } = composeEngine({
		apply: options,
		system: options.controllerName === 'systemd' ? systemdControl : noSystemControl(log),
		release: { version: environment.EXLB_VERSION ?? 'unknown', buildDate: environment.EXLB_BUILD_DATE ?? 'unknown' },
		log,
		socket: {
			socketPath: environment.EXLB_ENGINE_SOCKET ?? paths.engineSocket,
			allowedUids: users.map((user) => user.uid),
			socketGid: process.getuid?.() === 0 ? (users[0]?.gid ?? null) : null,
		},
		historyIntervalMs: sampleEveryMs,
		firmwarePlatform: firmwarePlatformFrom(environment),
	});
	await server.listen();
	// Only now: the web server waits for this file, so once it serves, the engine answers it.
	await provideWebTls(service, users[0], paths.webTlsFile, options.env.certDir);
	await ha.start(peer).catch((error: unknown) => log(`engine: the HA pair is off: ${causeChain(error)}`));
	log(`engine: listening on ${environment.EXLB_ENGINE_SOCKET ?? paths.engineSocket}`);
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.once(signal, () => {
			sampler.stop();
			void ha.stop()
				.then(() => server.close())
				.then(() => (options.controller instanceof ProcessController ? options.controller.stopAll() : undefined))
				.then(() => process.exit(0));
		});
	}
}

main().catch((error: unknown) => {
	log(`engine: could not start: ${causeChain(error)}`);
	process.exit(1);
});
