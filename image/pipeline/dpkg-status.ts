// The packages installed in a root file system, read from its dpkg status database (no chroot, no dpkg).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deb822Paragraphs } from './deb822.js';

export interface InstalledPackage {
	readonly name: string;
	readonly version: string;
	readonly architecture: string;
	/** The source package (dpkg's "Source:" without its version; the binary's own name when absent). */
	readonly source: string;
	readonly sourceVersion: string;
}

/** Parses dpkg's status file: one paragraph per package; only "install ok installed" ones are kept. */
export function parseDpkgStatus(text: string): InstalledPackage[] {
	const packages: InstalledPackage[] = [];
	for (const fields of deb822Paragraphs(text)) {
		const name = fields.get('Package');
		const version = fields.get('Version');
		if (name === undefined || version === undefined || fields.get('Status') !== 'install ok installed') continue;
		// "Source: glibc (2.41-12)" names the source's own version when it differs from the binary's.
		const source = /^(\S+)(?:\s+\(([^)]+)\))?$/.exec(fields.get('Source') ?? name);
		packages.push({
			name,
			version,
			architecture: fields.get('Architecture') ?? 'all',
			source: source?.[1] ?? name,
			sourceVersion: source?.[2] ?? version,
		});
	}
	return packages.sort((a, b) => a.name.localeCompare(b.name));
}

/** The dpkg database of a root tree (in the image it moves to /usr/share/factory/var, see appliance.ts). */
export async function installedPackages(root: string): Promise<InstalledPackage[]> {
	return parseDpkgStatus(await readFile(path.join(root, 'var/lib/dpkg/status'), 'utf8'));
}
