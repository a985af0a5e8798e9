// Step "firmware bundle": out/exlb-<version>.exlbfw, the update bundle of the system squashfs this build made
// (services/firmware/bundle-write.ts), signed with the build's key; its public half is in the image already
// (appliance.ts writeFirmwareKeys). Written under a temp name and renamed, like every artifact in out/.
import path from 'node:path';
import type { BundleManifest } from '../../services/firmware/bundle-manifest.js';
import { writeBundle } from '../../services/firmware/bundle-write.js';
import type { SigningKey } from '../../services/firmware/signing-key.js';
import { artifactBase } from './convert.js';
import { sourceDateEpoch, type Recipe } from './recipe.js';

export function firmwareBundleName(recipe: Recipe): string {
	return `${artifactBase(recipe)}.exlbfw`;
}

/** Writes the bundle of `systemSquashfs` into `outDir`; returns its path and manifest. */
export async function publishFirmwareBundle(recipe: Recipe, systemSquashfs: string, signingKey: SigningKey, outDir: string): Promise<{ file: string; manifest: BundleManifest }> {
	const file = path.join(outDir, firmwareBundleName(recipe));
	const created = new Date(sourceDateEpoch(recipe) * 1000);
	const manifest = await writeBundle({ payloadFile: systemSquashfs, version: recipe.version, signingKey: signingKey.privateKey, created }, file);
	return { file, manifest };
}
