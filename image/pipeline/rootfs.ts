// Stage "rootfs": Debian from the mirror with mmdebstrap, kernel modules trimmed, initramfs built.
// Its cache key holds only the recipe's Debian part and the customize hook: never our TypeScript.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RecipeError } from './errors.js';
import { cachedStage, sha256, type Stage } from './cache.js';
import { imageDir, sourceDateEpoch, type Recipe } from './recipe.js';
import { run } from './step.js';

const essentialHook = path.join(imageDir, 'rootfs', 'essential.sh');
const customizeHook = path.join(imageDir, 'rootfs', 'customize.sh');
const initramfsVarScript = path.join(imageDir, 'rootfs', 'initramfs-var.sh');

/** dpkg path filters from the recipe's trim list ("!/path" keeps a path inside an excluded one). */
function dpkgTrimOptions(trim: readonly string[]): string[] {
	return trim.map((pattern) => (pattern.startsWith('!') ? `--dpkgopt=path-include=${pattern.slice(1)}` : `--dpkgopt=path-exclude=${pattern}`));
}

export async function buildRootfs(recipe: Recipe): Promise<Stage> {
	const epoch = sourceDateEpoch(recipe);
	const notKept = recipe.initramfsModules.find((module) => !recipe.kernelModules.includes(module));
	if (notKept !== undefined) throw new RecipeError('initramfsModules', notKept, 'is not in kernelModules, so it would be trimmed away');
	const inputs = {
		stage: 'rootfs/1',
		debian: recipe.debian,
		epoch,
		packages: recipe.packages,
		kernelModules: recipe.kernelModules,
		initramfsModules: recipe.initramfsModules,
		trim: recipe.trim,
		hooks: await Promise.all([essentialHook, customizeHook, initramfsVarScript].map(async (file) => sha256(await readFile(file)))),
	};
	return cachedStage('rootfs', inputs, async (dir) => {
		const { debian } = recipe;
		await run(
			'mmdebstrap',
			[
				'--mode=root',
				`--variant=${debian.variant}`,
				'--architectures=amd64',
				`--components=${debian.components.join(',')}`,
				`--include=${recipe.packages.join(',')}`,
				'--aptopt=Apt::Install-Recommends "false"',
				...dpkgTrimOptions(recipe.trim),
				`--essential-hook=${essentialHook}`,
				`--customize-hook=${customizeHook}`,
				debian.release,
				path.join(dir, 'root'),
				debian.mirror,
			],
			{
				env: {
					SOURCE_DATE_EPOCH: String(epoch),
					EXLB_KERNEL_MODULES: recipe.kernelModules.join(' '),
					EXLB_INITRAMFS_MODULES: recipe.initramfsModules.join(' '),
				},
				stream: true,
				hint: `mmdebstrap could not build the Debian ${debian.release} root: check that ${debian.mirror} is reachable, that every name in recipe "packages" exists in ${debian.release}, and that there is free disk space under the cache dir.`,
			},
		);
	});
}
