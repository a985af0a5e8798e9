// Gathers what the SBOM lists from a built root file system and esbuild's metafiles (the I/O around sbom.ts).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { packageLicenses } from './debian-copyright.js';
import { installedPackages } from './dpkg-status.js';
import { SbomInputError } from './errors.js';
import { bundledPackages } from './npm-packages.js';
import { repoRoot, sourceDateEpoch, type Recipe } from './recipe.js';
import type { DebianComponent, SbomInput } from './sbom.js';

/** ID and VERSION_ID of a tree's os-release ("debian", "13"). */
export function osReleaseDistro(text: string, file = 'os-release'): SbomInput['distro'] {
	const field = (name: string) => new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1];
	const id = field('ID');
	const versionId = field('VERSION_ID');
	if (id === undefined || id === '') throw new SbomInputError(file, 'ID', id, 'is missing: the purls need the distribution');
	if (versionId === undefined || versionId === '') throw new SbomInputError(file, 'VERSION_ID', versionId, 'is missing: the purls need the release');
	return { id, versionId };
}

async function packageJson(file: string): Promise<{ version: string; license?: string }> {
	return JSON.parse(await readFile(file, 'utf8')) as { version: string; license?: string };
}

/** The SBOM's inputs: the packages of the tree `root` (a rootfs stage's root/) and the npm packages in `metafiles`. */
export async function collectSbomInput(recipe: Recipe, root: string, metafiles: readonly Metafile[]): Promise<SbomInput> {
	const installed = await installedPackages(root);
	const debian: DebianComponent[] = [];
	for (const pkg of installed) debian.push({ ...pkg, licenses: await packageLicenses(root, pkg.name) });
	const library = '@cyclonedx/cyclonedx-library';
	const toolManifest = await packageJson(createRequire(import.meta.url).resolve(`${library}/package.json`));
	return {
		product: { name: recipe.product, version: recipe.version, vendor: recipe.vendor, license: (await packageJson(path.join(repoRoot, 'package.json'))).license },
		distro: osReleaseDistro(await readFile(path.join(root, 'usr/lib/os-release'), 'utf8'), path.join(root, 'usr/lib/os-release')),
		epoch: sourceDateEpoch(recipe),
		debian,
		npm: await bundledPackages(metafiles, repoRoot),
		tool: { name: library, version: toolManifest.version },
	};
}
