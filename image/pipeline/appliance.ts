// Stages "system-base" and "system": the Debian root plus the appliance layer (agents, units, default
// config, the trusted firmware key), packed into the read-only squashfs that goes into system slot A.
import { chmod, copyFile, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { trustedKeysDir } from '../../services/firmware/bundle-keys.js';
import type { SigningKey } from '../../services/firmware/signing-key.js';
import { bundleAgents, bundles, webUiOutput } from './bundles.js';
import { cachedStage, hashTree, type Stage } from './cache.js';
import { partitionIds } from './ids.js';
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

export function grubConfig(recipe: Recipe): string {
	const ids = partitionIds(recipe);
	return [
		`# exlb ${recipe.version}: GRUB reads this from the system partition it booted (the prefix (,gptN)/boot/grub).`,
		`set timeout=${recipe.bootMenuTimeoutSeconds}`,
		'serial --unit=0 --speed=115200',
		'terminal_input console serial',
		'terminal_output console serial',
		`menuentry "${recipe.product} ${recipe.version}" {`,
		`\tlinux /boot/vmlinuz root=PARTUUID=${ids.systemA} rootfstype=squashfs ro ${recipe.kernelCmdline}`,
		'\tinitrd /boot/initrd.img',
		'}',
		'',
	].join('\n');
}

export function fstab(recipe: Recipe): string {
	// nofail: an appliance without its data partition still boots to the console (factory settings);
	// the long device timeout keeps a slow, loaded hypervisor from dropping /data that way.
	return [
		'# exlb: / is the read-only system partition (squashfs) named on the kernel command line;',
		'# /var is an overlay of /usr/share/factory/var and a tmpfs, set up by the initramfs (exlb-var).',
		'tmpfs\t/tmp\ttmpfs\tmode=1777,nosuid,nodev,size=25%\t0 0',
		`LABEL=${recipe.disk.dataLabel}\t/data\text4\tdefaults,noatime,nofail,x-systemd.device-timeout=120s\t0 2`,
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
		version: recipe.version,
		units: recipe.units,
		masked: recipe.maskedUnits,
		// The /usr/lib/exlb links to the bundles and the SBOM's link are made in this stage.
		bundleLinks: [...bundles.map((bundle) => bundle.output), webUiOutput],
		sbomLink: [sbomInImage, sbomInLayer],
		firmwareKeysLink: [firmwareKeysInImage, firmwareKeysInLayer],
		grub: grubConfig(recipe),
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
		const buildDate = new Date(sourceDateEpoch(recipe) * 1000).toISOString();
		await replaceFile(inTree('usr/lib/exlb/release.env'), `EXLB_VERSION=${recipe.version}\nEXLB_PRODUCT=${recipe.product}\nEXLB_BUILD_DATE=${buildDate}\n`);
		await replaceFile(inTree('etc/fstab'), fstab(recipe));
		// /etc is read-only on the appliance: the configured time zone is a link in /run the engine sets (apply/clock.ts).
		await rm(inTree('etc/localtime'), { force: true });
		await symlink('/run/exlb/localtime', inTree('etc/localtime'));
		const osRelease = await readFile(inTree('usr/lib/os-release'), 'utf8');
		await replaceFile(inTree('etc/os-release'), `${osRelease.trimEnd()}\nIMAGE_ID=${recipe.product}\nIMAGE_VERSION="${recipe.version}"\n`);
		await replaceFile(inTree('boot/grub/grub.cfg'), grubConfig(recipe));
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
export async function buildSystem(recipe: Recipe, rootfs: Stage, base: Stage, workDir: string, signingKey: SigningKey): Promise<Stage> {
	const layer = path.join(workDir, 'layer');
	await rm(layer, { recursive: true, force: true });
	const bundleDir = path.join(layer, bundleDirInImage);
	const metafiles = await step('bundle agents (esbuild)', () => bundleAgents(bundleDir));
	await writeFirmwareKeys(layer, signingKey);
	await step('sbom (CycloneDX)', async () => {
		await writeFile(path.join(layer, sbomInLayer), sbomJson(await collectSbomInput(recipe, path.join(rootfs.dir, 'root'), metafiles)), { mode: 0o644 });
	});
	const inputs = { stage: 'system/2', base: base.key, layer: await hashTree(layer), epoch: sourceDateEpoch(recipe) };
	return cachedStage('system', inputs, async (dir) => {
		const image = path.join(dir, 'system.squashfs');
		await copyFile(path.join(base.dir, 'base.squashfs'), image);
		await run('mksquashfs', [layer, image, ...squashfsTimes(recipe)], { hint: 'mksquashfs could not append the agents: check free disk space' });
		await copyFile(path.join(layer, sbomInLayer), path.join(dir, sbomStageFile));
	});
}
