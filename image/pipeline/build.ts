// The image build pipeline: rootfs → system (appliance layer + squashfs) → disk → conversions → OVA,
// each stage cached by a hash of its inputs; the artifacts are then copied to out/ with a manifest, and the
// system squashfs is packed into the signed update bundle out/exlb-<version>.exlbfw.
import { copyFile, mkdir, mkdtemp, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSystem, buildSystemBase, sbomStageFile } from './appliance.js';
import { cachedStage, cacheRoot, sha256File, type Stage } from './cache.js';
import { artifactBase, convertDisk, diskFormats } from './convert.js';
import { buildDisk, diskLayout } from './disk.js';
import { publishFirmwareBundle } from './firmware-bundle.js';
import { installedPackages } from './dpkg-status.js';
import { buildManifest, type ManifestEntry } from './manifest.js';
import { loadSigningKey, type SigningKey } from '../../services/firmware/signing-key.js';
import { buildOva } from './ova.js';
import { preflight } from './preflight.js';
import { loadRecipe, repoRoot, type Recipe } from './recipe.js';
import { buildRootfs, type RootfsStage } from './rootfs.js';
import { log, step } from './step.js';

export interface BuildResult {
	readonly recipe: Recipe;
	readonly outDir: string;
	readonly files: { ova: string; qcow2: string; vhdx: string; manifest: string; sbom: string; rootfs: string; firmware: string };
	readonly stages: Record<string, Stage>;
	readonly seconds: number;
}

export interface BuildOptions {
	/** Where the artifacts go (default: <repo>/out). */
	outDir?: string;
	/** Adjusts the loaded recipe (experiments and benchmarks). */
	adjustRecipe?: (recipe: Recipe) => Recipe;
}

async function buildArtifacts(recipe: Recipe, disk: Stage): Promise<Stage> {
	return cachedStage('artifacts', { stage: 'artifacts/1', disk: disk.key, base: artifactBase(recipe), ova: recipe.ova, vendor: recipe.vendor }, async (dir) => {
		const formats = diskFormats(recipe, dir);
		await step('conversions', () => convertDisk(path.join(disk.dir, 'disk.raw'), formats));
		await step('ova', () => buildOva(recipe, formats.vmdk, diskLayout(recipe).totalBytes, dir));
	});
}

/** Copies to a temp name and renames, so out/ never holds a half-written artifact. */
async function publish(from: string, to: string): Promise<void> {
	const tmp = `${to}.tmp-${process.pid}`;
	await copyFile(from, tmp);
	await rename(tmp, to);
}

/** out/rootfs → the rootfs stage's tree: the tests run the daemons from it (test/shipped/bin). Not an artifact. */
async function linkRootfs(rootfs: Stage, outDir: string): Promise<string> {
	const link = path.join(outDir, 'rootfs');
	await rm(`${link}.tmp`, { force: true });
	await symlink(path.join(rootfs.dir, 'root'), `${link}.tmp`);
	await rename(`${link}.tmp`, link);
	return link;
}

/** The steps every build starts with: the recipe (adjusted), the preflight, the signing key. */
async function startBuild(options: BuildOptions): Promise<{ recipe: Recipe; signingKey: SigningKey; workDir: string }> {
	const loaded = await step('recipe', () => loadRecipe());
	const recipe = options.adjustRecipe ? options.adjustRecipe(loaded) : loaded;
	log(`  ${recipe.product} ${recipe.version}, Debian ${recipe.debian.release}, cache ${cacheRoot()}`);
	await step('preflight', () => preflight(cacheRoot()));
	// Before the system stage: the public half of this key goes into the image.
	const signingKey = await step('signing key', async () => {
		const key = await loadSigningKey(process.env, (message) => log(`  ${message}`));
		log(`  bundles signed with key ${key.keyId} (${key.origin}: ${key.file})`);
		return key;
	});
	// One per build: two builds in one process (the update tests make N+1 and a broken N+2 at once) must not share it.
	await mkdir(cacheRoot(), { recursive: true });
	const workDir = await mkdtemp(path.join(cacheRoot(), `work-${process.pid}-`));
	return { recipe, signingKey, workDir };
}

/** rootfs → system base → system: the squashfs that goes into a slot. */
async function buildSystemStages(recipe: Recipe, signingKey: SigningKey, workDir: string, breakBootCheck: boolean): Promise<{ rootfs: RootfsStage; base: Stage; system: Stage }> {
	const rootfs = await step('rootfs', () => buildRootfs(recipe));
	const base = await step('system base (units, config, squashfs)', () => buildSystemBase(recipe, rootfs));
	if (breakBootCheck) log('  EXLB_TEST_BREAK_BOOT_CHECK=1: a test build whose boot check fails (never ship it)');
	const system = await step('appliance layer (agents)', () => buildSystem(recipe, rootfs, base, workDir, signingKey, { breakBootCheck }));
	return { rootfs, base, system };
}

async function writeBundleStep(recipe: Recipe, system: Stage, signingKey: SigningKey, outDir: string): Promise<string> {
	return step('firmware bundle', async () => {
		await mkdir(outDir, { recursive: true });
		const bundle = await publishFirmwareBundle(recipe, path.join(system.dir, 'system.squashfs'), signingKey, outDir);
		log(`  ${path.basename(bundle.file)}: ${recipe.version}, ${bundle.manifest.compatible}, payload ${bundle.manifest.payload.size} bytes`);
		return bundle.file;
	});
}

/**
 * Only the update bundle (no disk, no conversions): the update tests build version N+1 of the same tree this way,
 * in seconds once `make image` has filled the cache (the version lives in the last, small stage).
 */
export async function buildUpdateBundle(options: BuildOptions & { breakBootCheck?: boolean } = {}): Promise<{ file: string; version: string; squashfs: string }> {
	const { recipe, signingKey, workDir } = await startBuild(options);
	try {
		const { system } = await buildSystemStages(recipe, signingKey, workDir, options.breakBootCheck ?? false);
		const file = await writeBundleStep(recipe, system, signingKey, options.outDir ?? path.join(repoRoot, 'out'));
		return { file, version: recipe.version, squashfs: path.join(system.dir, 'system.squashfs') };
	} finally {
		await rm(workDir, { recursive: true, force: true });
	}
}

export async function buildImage(options: BuildOptions = {}): Promise<BuildResult> {
	const started = performance.now();
	const { recipe, signingKey, workDir } = await startBuild(options);
	const outDir = options.outDir ?? path.join(repoRoot, 'out');
	try {
		const { rootfs, base, system } = await buildSystemStages(recipe, signingKey, workDir, process.env.EXLB_TEST_BREAK_BOOT_CHECK === '1');
		const disk = await step('disk', () => buildDisk(recipe, system));
		const artifacts = await step('conversions + ova', () => buildArtifacts(recipe, disk));
		const files = await step('publish', async () => {
			await mkdir(outDir, { recursive: true });
			const base = artifactBase(recipe);
			const names = [`${base}.ova`, `${base}.qcow2`, `${base}.vhdx`];
			const entries: ManifestEntry[] = [];
			for (const name of names) {
				await publish(path.join(artifacts.dir, name), path.join(outDir, name));
				entries.push({ name, size: (await stat(path.join(outDir, name))).size, sha256: await sha256File(path.join(outDir, name)) });
			}
			const manifest = buildManifest(recipe, rootfs.suites, await installedPackages(path.join(rootfs.dir, 'root')), entries);
			const sbom = path.join(outDir, `${base}.cdx.json`);
			await publish(path.join(system.dir, sbomStageFile), sbom);
			const manifestFile = path.join(outDir, 'manifest.json');
			await writeFile(`${manifestFile}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
			await rename(`${manifestFile}.tmp`, manifestFile);
			const rootfsLink = await linkRootfs(rootfs, outDir);
			return { ova: path.join(outDir, names[0]!), qcow2: path.join(outDir, names[1]!), vhdx: path.join(outDir, names[2]!), manifest: manifestFile, sbom, rootfs: rootfsLink };
		});
		const firmware = await writeBundleStep(recipe, system, signingKey, outDir);
		return { recipe, outDir, files: { ...files, firmware }, stages: { rootfs, base, system, disk, artifacts }, seconds: (performance.now() - started) / 1000 };
	} finally {
		await rm(workDir, { recursive: true, force: true });
	}
}
