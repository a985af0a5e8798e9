// Entry point of the console agent in the appliance (bundled by esbuild for Node 20, started by exlb-console.service).
// Consoles: EXLB_CONSOLES (comma-separated devices), default /dev/tty1 and /dev/ttyS0.
import { hostname } from 'node:os';
import { AuditLog } from '../services/appliance/audit-log.js';
import { machineApplyOptions } from '../services/appliance/machine.js';
import { ApplianceService } from '../services/appliance/service.js';
import { systemdControl } from '../services/appliance/system-control.js';
import { runAgent } from './agent.js';
import { sleep, systemClock } from './clock.js';
import { ConsoleConfig } from './console-config.js';
import { openTtyConsole } from './console-io.js';
import { NetworkdBackend } from './networkd-backend.js';
import { systemdActions } from './system-actions.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

// /usr/lib/exlb/release.env (EnvironmentFile of the unit) carries the image version.
const version = process.env.EXLB_VERSION ?? 'unknown';

// A console that goes away must never take the agent down; anything else unexpected is logged and systemd restarts us.
process.on('SIGHUP', () => log('SIGHUP ignored'));
process.on('SIGINT', () => log('SIGINT ignored'));

/**
 * systemd prints boot status lines on the console until the boot is over; they would cut through the countdown
 * and the questions. SIGRTMIN+21 to PID 1 turns them off (systemd(1)); glibc's SIGRTMIN is 34. Only when systemd
 * started us (INVOCATION_ID is set for its services), never on a developer's machine.
 */
function quietSystemdStatus(): void {
	if (process.env.INVOCATION_ID === undefined || process.env.EXLB_KEEP_BOOT_STATUS === '1') return;
	try {
		process.kill(1, 34 + 21);
	} catch (error) {
		log(`could not turn off systemd status output: ${error instanceof Error ? error.message : String(error)}`);
	}
}

/** Seconds before consoles that all went away (no VGA, no serial port) are opened again. */
const reopenSeconds = 30;

async function main(): Promise<void> {
	quietSystemdStatus();
	// The console is a front end of the appliance service, in this process (root): every change goes through it.
	const machine = machineApplyOptions(process.env, 'systemd');
	const paths = machine.paths;
	const service = new ApplianceService({
		apply: machine,
		system: systemdControl,
		audit: new AuditLog(paths.auditLog, log),
		release: { version, buildDate: process.env.EXLB_BUILD_DATE ?? 'unknown' },
		accountFiles: [paths.adminPasswordFile, paths.apiTokensFile],
		// At boot exlb-apply.service may be applying the saved configuration: the console's change waits for it.
		lockWaitMs: 180_000,
		log,
	});
	const config = new ConsoleConfig(service);
	const devices = (process.env.EXLB_CONSOLES ?? '/dev/tty1,/dev/ttyS0').split(',').filter(Boolean);
	// runAgent returns when every console is closed; the process stays (the URL keeps answering) and tries again.
	// The second time round the network is already set up for this boot, so it goes straight to the menu.
	for (;;) {
		const consoles = devices.map((device) => openTtyConsole(device, log));
		await runAgent({
			consoles,
			clock: systemClock,
			backend: new NetworkdBackend((network) => config.applyNetwork(network), systemClock),
			config,
			system: systemdActions,
			product: 'exlb',
			version,
			hostname,
			log,
		});
		log(`every console is closed: opening them again in ${reopenSeconds} s`);
		await sleep(systemClock, reopenSeconds * 1000);
	}
}

// Anything unexpected: logged, then systemd restarts the agent (Restart=always).
main().catch((error: unknown) => {
	log(`console agent failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	process.exit(1);
});
