// Stages "system-base" and "system": the Debian root plus the appliance layer (agents, units, default
// config, the trusted firmware key), packed into the read-only squashfs that goes into system slot A.
import { chmod, copyFile, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { trustedKeysDir } from '../../services/firmware/bundle-keys.js';
import { brokenBootCheckMarker, espLabel, espMountPoint } from '../../services/firmware/esp-layout.js';
import type { SigningKey } from '../../services/firmware/signing-key.js';
import { bundleAgents, bundles, webUiOutput } from './bundles.js';
import { cachedStage, hashTree, type Stage } from './cache.js';
import { slotGrubConfig } from './grub-config.js';
import { imageDir, sourceDateEpoch, type Recipe } from './recipe.js';
import { sbomJson } from './sbom.js';
import { collectSbomInput } from './sbom-inputs.js';
import { run, step } from './step.js';

const overlayDir = path.join(imageDir, 'overlay');

/** Writes a file after unlinking whatever is there: the tree is a hard-linked copy of the cached rootfs. */
async function replaceFile(file: string, content: string, mode = 0o644): Promise<void> {
	await mkdir(path.dirname(file), { recursive: true });
	await rm(file, { force: true });
	await writeFile(file, content, { mode });
	await chmod(file, mode);
}

export function fstab(recipe: Recipe): string {
	// nofail: an appliance without its data partition still boots to the console (factory settings);
	// the long device timeout keeps a slow, loaded hypervisor from dropping /data that way.
	return [
		'# exlb: / is the read-only system partition (squashfs) named on the kernel command line;',
		'# /var is an overlay of /usr/share/factory/var and a tmpfs, set up by the initramfs (exlb-var);',
		`# ${espMountPoint} is the ESP (boot selection and boot state).`,
		'tmpfs\t/tmp\ttmpfs\tmode=1777,nosuid,nodev,size=25%\t0 0',
		`LABEL=${recipe.disk.dataLabel}\t/data\text4\tdefaults,noatime,nofail,x-systemd.device-timeout=120s\t0 2`,
		// Read-only: the boot state there is written by remounting it for the write (services/firmware/appliance-platform.ts).
		`LABEL=${espLabel}\t${espMountPoint}\tvfat\tro,noatime,nofail,umask=0077,x-systemd.device-timeout=120s\t0 0`,
		'',
	].join('\n');
}

/** Our bundles live in /opt/exlb, added to the cached base squashfs by mksquashfs's append mode. */
const bundleDirInImage = 'opt/exlb';

/** The SBOM is written with the bundles (it lists them); system-base links this documented path to it. */
const sbomInLayer = `${bundleDirInImage}/sbom.json`;
const sbomInImage = 'usr/share/exlb/sbom.json';

/** The public keys update bundles are checked against, in the layer; system-base links the path the installer reads to it. */
const firmwareKeysInLayer = `${bundleDirInImage}/firmware-keys`;
const firmwareKeysInImage = trustedKeysDir.replace(/^\//, '');

/**
 * What names the version lives in the layer, linked from where it is read: a new version rebuilds only the
 * (seconds-long) system stage, so an update test can build version N+1 of the same tree cheaply.
 */
const versionFiles = [
	{ inImage: 'usr/lib/exlb/release.env', inLayer: `${bundleDirInImage}/release.env` },
	{ inImage: 'etc/os-release', inLayer: `${bundleDirInImage}/os-release` },
] as const;

/** The layer's release.env (the units' EnvironmentFile) and os-release (Debian's plus IMAGE_ID and IMAGE_VERSION). */
async function writeVersionFiles(recipe: Recipe, rootfs: Stage, layer: string): Promise<void> {
	const buildDate = new Date(sourceDateEpoch(recipe) * 1000).toISOString();
	const osRelease = await readFile(path.join(rootfs.dir, 'root', 'usr/lib/os-release'), 'utf8');
	const [release, os] = versionFiles;
	await writeFile(path.join(layer, release.inLayer), `EXLB_VERSION=${recipe.version}\nEXLB_PRODUCT=${recipe.product}\nEXLB_BUILD_DATE=${buildDate}\n`, { mode: 0o644 });
	await writeFile(path.join(layer, os.inLayer), `${osRelease.trimEnd()}\nIMAGE_ID=${recipe.product}\nIMAGE_VERSION="${recipe.version}"\n`, { mode: 0o644 });
}

/** The system stage keeps a copy of the SBOM next to system.squashfs, for out/. */
export const sbomStageFile = 'sbom.json';

function squashfsTimes(recipe: Recipe): string[] {
	const epoch = String(sourceDateEpoch(recipe));
	return ['-all-time', epoch, '-mkfs-time', epoch, '-no-progress', '-no-recovery'];
}

/**
 * Stage "system-base": Debian root + units, default config and identity handling, compressed once.
 * It does not depend on our TypeScript, so a code-only change skips this (slow, xz) compression.
 */
export async function buildSystemBase(recipe: Recipe, rootfs: Stage): Promise<Stage> {
	const inputs = {
		stage: 'system-base/1',
		rootfs: rootfs.key,
		overlay: await hashTree(overlayDir),
		units: recipe.units,
		masked: recipe.maskedUnits,
		// The /usr/lib/exlb links to the bundles and the SBOM's link are made in this stage.
		bundleLinks: [...bundles.map((bundle) => bundle.output), webUiOutput],
		sbomLink: [sbomInImage, sbomInLayer],
		firmwareKeysLink: [firmwareKeysInImage, firmwareKeysInLayer],
		grub: slotGrubConfig(recipe),
		versionLinks: versionFiles.map((file) => file.inImage),
		fstab: fstab(recipe),
		compression: recipe.disk.squashfsCompression,
		compressionFilter: 'bcj-x86',
		blockKiB: recipe.disk.squashfsBlockKiB,
		epoch: sourceDateEpoch(recipe),
	};
	return cachedStage('system-base', inputs, async (dir) => {
		const tree = path.join(dir, 'tree');
		const inTree = (...parts: string[]) => path.join(tree, ...parts);
		const hint = 'the cached root file system may be damaged: delete the rootfs-* directories in the cache and rebuild';
		// A hard-linked copy: fast, and everything below unlinks before writing, so the cache stays intact.
		await run('cp', ['-al', path.join(rootfs.dir, 'root'), tree], { hint });
		await run('cp', ['-a', '--remove-destination', `${overlayDir}/.`, `${tree}/`], { hint: 'check the files under image/overlay' });
		for (const output of [...bundles.map((bundle) => bundle.output), webUiOutput]) {
			await rm(inTree('usr/lib/exlb', output), { recursive: true, force: true });
			await symlink(`/${bundleDirInImage}/${output}`, inTree('usr/lib/exlb', output));
		}
		await mkdir(path.dirname(inTree(sbomInImage)), { recursive: true });
		await rm(inTree(sbomInImage), { force: true });
		await symlink(`/${sbomInLayer}`, inTree(sbomInImage));
		await rm(inTree(firmwareKeysInImage), { recursive: true, force: true });
		await symlink(`/${firmwareKeysInLayer}`, inTree(firmwareKeysInImage));
		await replaceFile(
			inTree('usr/bin/exlb'),
			'#!/bin/sh\nexec /usr/bin/node /usr/lib/exlb/exlb.mjs "$@"\n',
			0o755,
		);
		for (const file of versionFiles) {
			await rm(inTree(file.inImage), { force: true });
			await symlink(`/${file.inLayer}`, inTree(file.inImage));
		}
		await replaceFile(inTree('etc/fstab'), fstab(recipe));
		// /etc is read-only on the appliance: the configured time zone is a link in /run the engine sets (apply/clock.ts).
		await rm(inTree('etc/localtime'), { force: true });
		await symlink('/run/exlb/localtime', inTree('etc/localtime'));
		await replaceFile(inTree('boot/grub/grub.cfg'), slotGrubConfig(recipe));
		await run('chroot', [tree, 'systemctl', 'enable', ...recipe.units], { hint: 'a unit in recipe "units" does not exist or has no [Install] section' });
		for (const unit of recipe.maskedUnits) {
			await rm(inTree('etc/systemd/system', unit), { force: true });
			await symlink('/dev/null', inTree('etc/systemd/system', unit));
		}
		// /var becomes an overlay of this factory copy and a tmpfs (initramfs script exlb-var).
		await mkdir(inTree('usr/share/factory'), { recursive: true });
		await rename(inTree('var'), inTree('usr/share/factory/var'));
		await mkdir(inTree('var'), { mode: 0o755 });
		await mkdir(inTree('data'), { mode: 0o755 });
		await mkdir(inTree(espMountPoint), { mode: 0o700 });
		// /opt comes from the appended layer.
		await rm(inTree('opt'), { recursive: true, force: true });
		const compression = recipe.disk.squashfsCompression;
		// xz's x86 branch filter makes machine code compress better (2.7 % of the system partition on trixie).
		const filter = compression === 'xz' ? ['-Xbcj', 'x86'] : [];
		await run('mksquashfs', [tree, path.join(dir, 'base.squashfs'), '-comp', compression, ...filter, '-b', `${recipe.disk.squashfsBlockKiB}K`, '-noappend', ...squashfsTimes(recipe)], {
			hint: 'mksquashfs failed: check free disk space in the cache directory',
		});
		await rm(tree, { recursive: true, force: true });
	});
}

/** Writes the public half of the signing key into the layer as <keyId>.pem (only the public half: never the private key). */
export async function writeFirmwareKeys(layer: string, signingKey: Pick<SigningKey, 'keyId' | 'publicKeyPem'>): Promise<string> {
	const file = path.join(layer, firmwareKeysInLayer, `${signingKey.keyId}.pem`);
	await mkdir(path.dirname(file), { recursive: true });
	await writeFile(file, signingKey.publicKeyPem, { mode: 0o644 });
	return file;
}

/**
 * Stage "system": the base squashfs with our agents, the SBOM and the trusted firmware key appended under /opt/exlb
 * (seconds, not minutes). The SBOM reads the Debian packages from the rootfs stage; being in the layer, it and the
 * key are part of this stage's key.
 */
export interface SystemOptions {
	/** Test-only (EXLB_TEST_BREAK_BOOT_CHECK=1): a system whose boot check fails, to prove the rollback. */
	readonly breakBootCheck?: boolean;
}

export async function buildSystem(recipe: Recipe, rootfs: Stage, base: Stage, workDir: string, signingKey: SigningKey, options: SystemOptions = {}): Promise<Stage> {
	const layer = path.join(workDir, 'layer');
	await rm(layer, { recursive: true, force: true });
	const bundleDir = path.join(layer, bundleDirInImage);
	const metafiles = await step('bundle agents (esbuild)', () => bundleAgents(bundleDir));
	await writeFirmwareKeys(layer, signingKey);
	await writeVersionFiles(recipe, rootfs, layer);
	if (options.breakBootCheck) await writeFile(path.join(layer, brokenBootCheckMarker), 'test build: the boot check fails on this system\n');
	await step('sbom (CycloneDX)', async () => {
		await writeFile(path.join(layer, sbomInLayer), sbomJson(await collectSbomInput(recipe, path.join(rootfs.dir, 'root'), metafiles)), { mode: 0o644 });
	});
	const inputs = { stage: 'system/3', base: base.key, layer: await hashTree(layer), epoch: sourceDateEpoch(recipe) };
	return cachedStage('system', inputs, async (dir) => {
		const image = path.join(dir, 'system.squashfs');
		await copyFile(path.join(base.dir, 'base.squashfs'), image);
		await run('mksquashfs', [layer, image, ...squashfsTimes(recipe)], { hint: 'mksquashfs could not append the agents: check free disk space' });
		await copyFile(path.join(layer, sbomInLayer), path.join(dir, sbomStageFile));
	});
}
