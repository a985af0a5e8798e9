// Where `make image` put the artifacts of this version, for the boot and image tests.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The image version: EXLB_VERSION when the build was given one (image/pipeline/recipe.ts), else package.json's. */
export const version = process.env.EXLB_VERSION || (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
export const outDir = path.join(repoRoot, 'out');

export const artifacts = {
	ova: path.join(outDir, `exlb-${version}.ova`),
	qcow2: path.join(outDir, `exlb-${version}.qcow2`),
	vhdx: path.join(outDir, `exlb-${version}.vhdx`),
	manifest: path.join(outDir, 'manifest.json'),
	sbom: path.join(outDir, `exlb-${version}.cdx.json`),
	firmware: path.join(outDir, `exlb-${version}.exlbfw`),
};

/** Throws a clear message when `make image` has not run. */
export function requireArtifact(file: string): string {
	if (!existsSync(file)) throw new Error(`${path.relative(repoRoot, file)} is missing: run "make image" first`);
	return file;
}
