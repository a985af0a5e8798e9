// Firmware update benchmark (not a test; nothing asserted), the built image under QEMU TCG through the API:
//   bundle      the size of the N+1 bundle and of its system payload;
//   install     POST /api/v1/firmware, upload → the answer (verified, written, read back, marked: ready to reboot);
//   reboot      POST /api/v1/system/reboot → the API answering on the new slot, then → the slot marked good;
//   rollback    a test-only N+2 whose boot check fails installed the same way, rebooted → the appliance back on the
//               previous slot by itself with "rolled back from" in GET /api/v1/firmware (after all its tries).
// Figures to out/bench-firmware.json. Part of `make bench` (scripts/bench.ts), or alone:
//   node --import=tsx scripts/bench-firmware.ts [--memory MiB]
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import { echo, fs, path } from 'zx';
import { waitFor } from '../services/apply/wait.js';
import { bootDeadlineMs, imageFile, stepDeadlineMs, webBanner } from '../test/boot/firstboot-support.js';
import type { ApiClient } from '../test/helpers/api-client.js';
import { firmwareView, installForm, loggedInGuest, slotOf, type FirmwareView } from '../test/helpers/firmware-api.js';
import { repoRoot, version } from '../test/helpers/image-artifacts.js';
import { bootGuest, type Guest } from '../test/helpers/qemu.js';
import { buildNextBundle, nextVersion, type UpdateBundle } from '../test/helpers/update-bundles.js';
import { cli, isMain, type Values } from './lib/args.js';
import { firmwareOptions } from './lib/bench-options.js';
import { task } from './lib/progress.js';
import { round } from './lib/stats.js';

const outFile = path.join(repoRoot, 'out', 'bench-firmware.json');
const password = `exlb-${randomBytes(12).toString('base64url')}`;
// Long enough for every try of a broken slot (each a full boot under TCG) and the boot back.
const rollbackDeadlineMs = 4 * bootDeadlineMs;

const step = <T>(name: string, run: () => Promise<T>): Promise<T> => task(`bench-firmware: ${name}`, run);
const secondsSince = (started: number) => round((performance.now() - started) / 1000, 1);

async function install(api: ApiClient, bundle: UpdateBundle): Promise<{ seconds: number; view: FirmwareView }> {
	const started = performance.now();
	const answer = await api.request('POST', '/api/v1/firmware', { body: await installForm(bundle.file, password) });
	if (answer.status !== 200) throw new Error(`install of ${bundle.version}: ${answer.status} ${answer.text}`);
	return { seconds: secondsSince(started), view: answer.body as FirmwareView };
}

/** Asks for a reboot through the API (202) and closes the client; returns the console's length at that moment. */
async function requestReboot(guest: Guest, api: ApiClient): Promise<number> {
	const consoleBefore = guest.text().length;
	const answer = await api.request('POST', '/api/v1/system/reboot');
	if (answer.status !== 202) throw new Error(`reboot: ${answer.status} ${answer.text}`);
	await api.close();
	return consoleBefore;
}

/** Reboots through the API; resolves once the console shows the banner again after the reboot and the API answers. */
async function rebooted(guest: Guest, api: ApiClient, deadlineMs: number): Promise<ApiClient> {
	const consoleBefore = await requestReboot(guest, api);
	await waitFor('the banner after the reboot', deadlineMs, () => webBanner('10.0.2.15').test(guest.text().slice(consoleBefore)), 1000);
	return loggedInGuest(guest, password, false);
}

export async function benchFirmware({ memory }: Values<typeof firmwareOptions>): Promise<void> {
	const loadAtStart = os.loadavg().map((value) => round(value, 2));
	const next = await step(`build the ${nextVersion(version)} bundle`, () => buildNextBundle());
	// Measured before the next build: the stage cache keeps only the latest system stages (next.squashfs is one).
	const bundle = { fileMiB: round((await stat(next.file)).size / 2 ** 20, 1), payloadMiB: round((await stat(next.squashfs)).size / 2 ** 20, 1) };
	const broken = await step('build the test-only broken bundle', () => buildNextBundle({ breakBootCheck: true, version: nextVersion(next.version) }));

	const poweredOn = performance.now();
	const guest = await bootGuest({
		disk: imageFile(), name: 'bench-firmware', memoryMiB: memory,
		nics: [{ model: 'virtio-net-pci', netdev: { type: 'user', hostForwards: [{ guestPort: 4444 }] } }],
	});
	try {
		let api = await step(`boot ${version} to the API`, async () => {
			await guest.waitFor(webBanner('10.0.2.15'), { timeoutMs: bootDeadlineMs });
			return loggedInGuest(guest, password, true);
		});
		const bootToApiSeconds = secondsSince(poweredOn);
		const update = await step(`install ${next.version}`, () => install(api, next));

		const reboot = performance.now();
		api = await step(`reboot into ${next.version}`, () => rebooted(guest, api, bootDeadlineMs));
		const rebootToApiSeconds = secondsSince(reboot);
		await step('the new slot marked good', () => waitFor('slot B good', stepDeadlineMs * 2, async () => slotOf(await firmwareView(api), 'B').status === 'good', 2000));
		const rebootToGoodSeconds = secondsSince(reboot);

		const bad = await step(`install the broken ${broken.version}`, () => install(api, broken));
		const tries = slotOf(bad.view, 'A').triesLeft;
		const rollback = performance.now();
		const consoleBefore = await requestReboot(guest, api);
		const back = await step(`${tries} failed tries, then back on ${next.version}`, async () => {
			await waitFor('the boot back on slot B', rollbackDeadlineMs, () => /slot A cannot boot/.test(guest.text().slice(consoleBefore)), 2000);
			await waitFor('the banner on slot B', bootDeadlineMs, () => webBanner('10.0.2.15').test(guest.text().slice(consoleBefore)), 1000);
			api = await loggedInGuest(guest, password, false);
			return firmwareView(api);
		});
		const rollbackSeconds = secondsSince(rollback);
		await api.close();
		if (back.booted !== 'B' || back.rolledBackFrom === undefined) throw new Error(`not rolled back: ${JSON.stringify(back)}`);

		const report = {
			measuredAt: new Date().toISOString(), loadAverageAtStart: loadAtStart, memoryMiB: memory, versions: [version, next.version, broken.version],
			bundle, bootToApiSeconds, installSeconds: update.seconds, rebootToApiSeconds, rebootToGoodSeconds, rollback: { tries, seconds: rollbackSeconds },
		};
		await fs.outputFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
		echo(`
Firmware benchmark under QEMU TCG, ${memory} MiB → ${path.relative(repoRoot, outFile)} (load average at start ${loadAtStart.join(' ')})
  bundle ${bundle.fileMiB} MiB (system payload ${bundle.payloadMiB} MiB)
  install (upload → ready to reboot): ${update.seconds} s
  reboot → API answering on the new slot: ${rebootToApiSeconds} s; → the slot marked good: ${rebootToGoodSeconds} s
  rollback from a slot failing its boot check (${tries} tries): reboot → API answering on the previous slot, "rolled back from ${back.rolledBackFrom.version}": ${rollbackSeconds} s`);
	} catch (error) {
		echo(guest.tail(60));
		throw error;
	} finally {
		await guest.stop();
	}
}

if (isMain(import.meta.url)) {
	await benchFirmware(cli('usage: node --import=tsx scripts/bench-firmware.ts [--memory MiB]\nThe firmware update benchmark under QEMU TCG → out/bench-firmware.json.', firmwareOptions)).catch((error: unknown) => {
		console.error(`\nbench-firmware failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		process.exitCode = 1;
	});
}
