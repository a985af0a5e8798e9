// The npm packages esbuild bundled into our agents, found from its metafile's inputs under node_modules.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { SbomInputError } from './errors.js';

export interface NpmPackage {
	readonly name: string;
	readonly version: string;
	/** package.json "license" (an SPDX id or expression, or free text); undefined when it states none. */
	readonly license: string | undefined;
}

/** The package directories (relative, e.g. "node_modules/execa/node_modules/path-key") of bundled inputs. */
export function bundledPackageDirs(inputs: Iterable<string>): string[] {
	const dirs = new Set<string>();
	for (const input of inputs) {
		// The last node_modules segment names the package the file belongs to (nested copies are their own packages).
		const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replaceAll('\\', '/'));
		if (match) dirs.add(match[1]!);
	}
	return [...dirs].sort();
}

interface PackageJson {
	name?: unknown;
	version?: unknown;
	license?: unknown;
	licenses?: unknown;
}

/** package.json's license: the "license" string, else the legacy "licenses": [{ type }] joined with OR. */
function licenseOf(manifest: PackageJson): string | undefined {
	if (typeof manifest.license === 'string' && manifest.license.trim() !== '') return manifest.license.trim();
	if (typeof manifest.license === 'object' && manifest.license !== null && typeof (manifest.license as { type?: unknown }).type === 'string') {
		return (manifest.license as { type: string }).type;
	}
	if (Array.isArray(manifest.licenses)) {
		const types = manifest.licenses.map((entry: unknown) => (entry as { type?: unknown } | null)?.type).filter((type): type is string => typeof type === 'string');
		if (types.length > 0) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
	}
	return undefined;
}

/** Name, version and license of each package the metafiles' inputs come from (relative to `workingDir`), deduplicated. */
export async function bundledPackages(metafiles: readonly Metafile[], workingDir: string): Promise<NpmPackage[]> {
	const dirs = bundledPackageDirs(metafiles.flatMap((metafile) => Object.keys(metafile.inputs)));
	const found = new Map<string, NpmPackage>();
	for (const dir of dirs) {
		const file = path.join(workingDir, dir, 'package.json');
		const manifest = JSON.parse(await readFile(file, 'utf8')) as PackageJson;
		if (typeof manifest.name !== 'string' || manifest.name === '') throw new SbomInputError(file, 'name', manifest.name, 'is not a package name');
		if (typeof manifest.version !== 'string' || manifest.version === '') throw new SbomInputError(file, 'version', manifest.version, 'is not a package version');
		found.set(`${manifest.name}@${manifest.version}`, { name: manifest.name, version: manifest.version, license: licenseOf(manifest) });
	}
	return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}
