// Which firmware platform a process uses (EXLB_FIRMWARE_PLATFORM), the files platform's reading of its directory,
// and the running version from the environment or release.env.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { filesFirmwarePlatform } from '../../../services/firmware/files-platform.js';
import { firmwarePlatformFrom } from '../../../services/firmware/platform-choice.js';
import { SlotError } from '../../../services/firmware/bundle-errors.js';
import { FirmwarePlatformError } from '../../../services/firmware/platform.js';
import { releaseVersion } from '../../../services/firmware/release-version.js';
import { tempDir } from '../../helpers/firmware-bundles.js';

test('unset, the appliance\'s platform: on a machine without the ESP, reading the boot state names the ESP and its mount point', async (t) => {
	const platform = firmwarePlatformFrom({ EXLB_VERSION: '1.0.0' })();
	const error = await t.throwsAsync(platform.bootState.read(), { instanceOf: SlotError });
	t.is(error!.field, 'ESP');
	t.is(error!.value, '/efi');
	t.regex(error!.message, /LABEL=EXLB-ESP/);
	t.is(await platform.runningVersion(), '1.0.0', 'the running version from EXLB_VERSION');
});

test('anything but files:<absolute directory> is refused by name when used', (t) => {
	for (const value of ['files:relative/dir', 'disk:/dev/sda', '/tmp/x']) {
		const error = t.throws(() => firmwarePlatformFrom({ EXLB_FIRMWARE_PLATFORM: value })(), { instanceOf: FirmwarePlatformError });
		t.is(error!.field, 'EXLB_FIRMWARE_PLATFORM');
		t.is(error!.value, value);
	}
});

test('files:<dir>: slot files, keys and boot state in the directory; slot A runs EXLB_VERSION until the boot state says otherwise', async (t) => {
	const dir = await tempDir(t);
	const platform = firmwarePlatformFrom({ EXLB_FIRMWARE_PLATFORM: `files:${dir}`, EXLB_VERSION: '2.0.0' })();
	t.is(platform.slotDevice('B'), path.join(dir, 'slot-B.img'));
	t.is(platform.trustedKeysDir, path.join(dir, 'keys'));
	t.is(await platform.bootedSlot(), 'A', 'no booted-slot file: slot A');
	t.is(await platform.runningVersion(), '2.0.0');
	await platform.bootState.markNextBoot('B', 3, '2.1.0');
	await writeFile(path.join(dir, 'booted-slot'), 'B\n');
	t.is(await platform.bootedSlot(), 'B');
	t.is(await platform.runningVersion(), '2.1.0', 'the booted slot\'s version');
});

test('the files platform refuses a booted-slot that is not A or B, and a booted slot without a version', async (t) => {
	const dir = await tempDir(t);
	const platform = filesFirmwarePlatform(dir);
	await writeFile(path.join(dir, 'booted-slot'), 'C\n');
	t.is((await t.throwsAsync(platform.bootedSlot(), { instanceOf: FirmwarePlatformError }))!.value, 'C');
	await writeFile(path.join(dir, 'booted-slot'), 'A\n');
	const unknown = await t.throwsAsync(platform.runningVersion(), { instanceOf: FirmwarePlatformError });
	t.is(unknown!.field, 'slot A version');
});

test('the running version: EXLB_VERSION, else release.env\'s line, else an error naming both', async (t) => {
	const dir = await tempDir(t);
	const file = path.join(dir, 'release.env');
	t.is(await releaseVersion({ EXLB_VERSION: '3.1.4' }, file), '3.1.4');
	await writeFile(file, 'EXLB_PRODUCT=exlb\nEXLB_VERSION=3.2.0\n');
	t.is(await releaseVersion({}, file), '3.2.0');
	const missing = await t.throwsAsync(releaseVersion({}, path.join(dir, 'none.env')), { instanceOf: FirmwarePlatformError });
	t.regex(missing!.message, /^EXLB_VERSION null: is not set and .*none\.env does not name it/);
});
