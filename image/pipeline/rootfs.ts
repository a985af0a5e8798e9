// Stage "rootfs": Debian from the mirror with mmdebstrap, kernel modules trimmed, initramfs built.
// Its cache key holds the recipe's Debian part, the hooks and what the mirror serves now (the hashes of
// the suites' package indices, from InRelease): never our TypeScript. A new (security) update on the
// mirror means a new rootfs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BuildStepError, RecipeError } from './errors.js';
import { cachedStage, sha256, type Stage } from './cache.js';
import { snapshotSuites, sourcesLines, type SuiteSnapshot } from './mirror.js';
import { imageDir, sourceDateEpoch, type Recipe } from './recipe.js';
import { log, run } from './step.js';

const essentialHook = path.join(imageDir, 'rootfs', 'essential.sh');
const customizeHook = path.join(imageDir, 'rootfs', 'customize.sh');
/** Our system users, made in the root file system (customize.sh) so the daemons the tests run from it know them. */
const sysusersFile = path.join(imageDir, 'overlay', 'usr', 'lib', 'sysusers.d', 'exlb.conf');
const initramfsVarScript = path.join(imageDir, 'rootfs', 'initramfs-var.sh');

export interface RootfsStage extends Stage {
	/** The suites as the mirror served them when this root file system was built. */
	readonly suites: readonly SuiteSnapshot[];
}

/** dpkg path filters from the recipe's trim list ("!/path" keeps a path inside an excluded one). */
function dpkgTrimOptions(trim: readonly string[]): string[] {
	return trim.map((pattern) => (pattern.startsWith('!') ? `--dpkgopt=path-include=${pattern.slice(1)}` : `--dpkgopt=path-exclude=${pattern}`));
}

/** apt's "Unable to locate package X" in mmdebstrap's output becomes an error naming X. */
export function missingPackage(error: BuildStepError, recipe: Recipe): BuildStepError {
	const name = /Unable to locate package (\S+)/.exec(error.outputTail)?.[1] ?? /Package '?([^' ]+)'? has no installation candidate/.exec(error.outputTail)?.[1];
	if (name === undefined) return error;
	const suites = recipe.debian.sources.map((source) => `${source.suites.join(', ')} from ${source.mirror}`).join('; ');
	return new BuildStepError(error.step, error.command, error.outputTail, `package "${name}" (recipe "packages") does not exist in ${suites}: remove it or name its replacement`, { cause: error });
}

export async function buildRootfs(recipe: Recipe): Promise<RootfsStage> {
	const epoch = sourceDateEpoch(recipe);
	const notKept = recipe.initramfsModules.find((module) => !recipe.kernelModules.includes(module));
	if (notKept !== undefined) throw new RecipeError('initramfsModules', notKept, 'is not in kernelModules, so it would be trimmed away');
	const suites = await snapshotSuites(recipe);
	for (const suite of suites) {
		const indices = Object.entries(suite.packageIndices).map(([component, hash]) => `${component} ${hash.slice(0, 12)}`).join(', ');
		log(`  ${suite.suite} (${suite.mirror}): ${suite.date}, packages ${indices}`);
	}
	const inputs = {
		stage: 'rootfs/3',
		debian: recipe.debian,
		mirrorState: suites.map(({ suite, packageIndices }) => ({ suite, packageIndices })),
		epoch,
		packages: recipe.packages,
		purge: recipe.purge,
		kernelModules: recipe.kernelModules,
		initramfsModules: recipe.initramfsModules,
		trim: recipe.trim,
		hooks: await Promise.all([essentialHook, customizeHook, initramfsVarScript, sysusersFile].map(async (file) => sha256(await readFile(file)))),
	};
	const stage = await cachedStage('rootfs', inputs, async (dir) => {
		const { debian } = recipe;
		await run(
			'mmdebstrap',
			[
				'--mode=root',
				`--variant=${debian.variant}`,
				'--architectures=amd64',
				`--include=${recipe.packages.join(',')}`,
				'--aptopt=Apt::Install-Recommends "false"',
				...dpkgTrimOptions(recipe.trim),
				`--essential-hook=${essentialHook}`,
				`--customize-hook=${customizeHook}`,
				debian.release,
				path.join(dir, 'root'),
				...sourcesLines(recipe),
			],
			{
				env: {
					SOURCE_DATE_EPOCH: String(epoch),
					EXLB_KERNEL_MODULES: recipe.kernelModules.join(' '),
					EXLB_INITRAMFS_MODULES: recipe.initramfsModules.join(' '),
					EXLB_PURGE: recipe.purge.join(' '),
					EXLB_SYSUSERS: sysusersFile,
				},
				stream: true,
				hint: `mmdebstrap could not build the Debian ${debian.release} root from ${sourcesLines(recipe).join(' | ')}: check that the mirrors are reachable, that every name in recipe "packages" exists there, and that there is free disk space under the cache dir.`,
			},
		).catch((error: unknown) => {
			throw error instanceof BuildStepError ? missingPackage(error, recipe) : error;
		});
	});
	return { ...stage, suites };
}
