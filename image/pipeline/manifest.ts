// out/manifest.json: what was built (artifacts with sizes and hashes), from which Debian suites (as the
// mirror served them) and with which versions of the packages that matter for security and behaviour.
import type { InstalledPackage } from './dpkg-status.js';
import type { SuiteSnapshot } from './mirror.js';
import type { Recipe } from './recipe.js';

export interface ManifestEntry {
	readonly name: string;
	readonly size: number;
	readonly sha256: string;
}

/** The packages whose versions the manifest names (the tests compare the daemons they run with these). */
export const keyPackages = ['haproxy', 'stunnel4', 'keepalived', 'nodejs', 'openssl', 'libssl3t64', 'systemd'] as const;

export interface KeyPackageVersions {
	/** The kernel package (linux-image-<abi>-amd64) and its version. */
	readonly kernel: { readonly package: string; readonly version: string };
	readonly packages: Record<(typeof keyPackages)[number], string>;
}

export interface Manifest {
	readonly product: string;
	readonly version: string;
	readonly debian: {
		readonly release: string;
		readonly suites: readonly SuiteSnapshot[];
		readonly packageCount: number;
	} & KeyPackageVersions;
	readonly files: readonly ManifestEntry[];
}

/** Picks the kernel and the key packages out of the installed list; a missing one is a build error. */
export function keyPackageVersions(installed: readonly InstalledPackage[]): KeyPackageVersions {
	const byName = new Map(installed.map((pkg) => [pkg.name, pkg.version]));
	const packages = Object.fromEntries(
		keyPackages.map((name) => {
			const version = byName.get(name);
			if (version === undefined) throw new Error(`package "${name}" is not installed in the root file system`);
			return [name, version];
		}),
	) as KeyPackageVersions['packages'];
	const kernels = installed.filter((pkg) => /^linux-image-\d.*-amd64$/.test(pkg.name));
	if (kernels.length !== 1) throw new Error(`expected one linux-image-<version>-amd64 package, found ${kernels.map((pkg) => pkg.name).join(', ') || 'none'}`);
	return { kernel: { package: kernels[0]!.name, version: kernels[0]!.version }, packages };
}

export function buildManifest(recipe: Recipe, suites: readonly SuiteSnapshot[], installed: readonly InstalledPackage[], files: readonly ManifestEntry[]): Manifest {
	return {
		product: recipe.product,
		version: recipe.version,
		debian: { release: recipe.debian.release, suites, packageCount: installed.length, ...keyPackageVersions(installed) },
		files,
	};
}
