// The build's firmware-bundle step on a small fake squashfs: out/exlb-<version>.exlbfw verifies against the public key
// the system stage writes into the image layer, carries the recipe's version (EXLB_VERSION's when set) and the
// build's timestamp, and is byte for byte the same when written again. No image is built.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { writeFirmwareKeys } from '../../../image/pipeline/appliance.js';
import { RecipeError } from '../../../image/pipeline/errors.js';
import { firmwareBundleName, publishFirmwareBundle } from '../../../image/pipeline/firmware-bundle.js';
import { imageDir, imageVersion, parseRecipe, repoRoot } from '../../../image/pipeline/recipe.js';
import { loadTrustedKeys } from '../../../services/firmware/bundle-keys.js';
import { verifyBundle } from '../../../services/firmware/bundle-read.js';
import { loadSigningKey } from '../../../services/firmware/signing-key.js';
import { sha256File } from '../../../services/fs/sha256-file.js';
import { tempDir } from '../../helpers/firmware-bundles.js';

const rawRecipe = async () => JSON.parse(await readFile(path.join(imageDir, 'recipe.json'), 'utf8')) as unknown;

test('the bundle of the system squashfs verifies against the key shipped in the layer', async (t) => {
	const dir = await tempDir(t);
	const recipe = parseRecipe(await rawRecipe(), '2.3.4', 'EXLB_VERSION (environment)');
	const squashfs = path.join(dir, 'system.squashfs');
	await writeFile(squashfs, Buffer.concat([Buffer.from('hsqs'), randomBytes(200_000)]));
	const signingKey = await loadSigningKey({ XDG_CONFIG_HOME: path.join(dir, 'config') });
	const layer = path.join(dir, 'layer');
	const keyFile = await writeFirmwareKeys(layer, signingKey);
	t.is(path.relative(layer, keyFile), `opt/exlb/firmware-keys/${signingKey.keyId}.pem`);
	t.false((await readFile(keyFile, 'utf8')).includes('PRIVATE'), 'only the public half goes into the image');
	const outDir = path.join(dir, 'out');
	const { file, manifest } = await publishFirmwareBundle(recipe, squashfs, signingKey, outDir);
	t.is(file, path.join(outDir, 'exlb-2.3.4.exlbfw'));
	t.is(firmwareBundleName(recipe), 'exlb-2.3.4.exlbfw');
	t.deepEqual(await readdir(outDir), ['exlb-2.3.4.exlbfw'], 'no temp file left');
	const verified = await verifyBundle(createReadStream(file), { trustedKeys: await loadTrustedKeys(path.dirname(keyFile)), runningVersion: '2.3.3' });
	t.deepEqual(verified.manifest, manifest);
	t.is(manifest.version, '2.3.4');
	t.is(manifest.payload.sha256, await sha256File(squashfs));
	t.is(manifest.created, new Date(recipe.debian.sourceDateEpoch * 1000).toISOString());
	const first = await readFile(file);
	await publishFirmwareBundle(recipe, squashfs, signingKey, outDir);
	t.true((await readFile(file)).equals(first), 'same inputs and key, same bundle');
});

test('EXLB_VERSION overrides package.json as the image version; a non-semver one is refused naming it', async (t) => {
	const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
	t.deepEqual(await imageVersion({}), { version: pkg.version, source: 'package.json version' });
	t.deepEqual(await imageVersion({ EXLB_VERSION: '' }), { version: pkg.version, source: 'package.json version' });
	t.deepEqual(await imageVersion({ EXLB_VERSION: '7.0.1' }), { version: '7.0.1', source: 'EXLB_VERSION (environment)' });
	const raw = await rawRecipe();
	t.is(parseRecipe(raw, '7.0.1-rc.1', 'EXLB_VERSION (environment)').version, '7.0.1-rc.1');
	for (const version of ['bench', '1.2', '01.2.3']) {
		const error = t.throws(() => parseRecipe(raw, version, 'EXLB_VERSION (environment)'), { instanceOf: RecipeError });
		t.is(error!.field, 'EXLB_VERSION (environment)');
		t.is(error!.value, version);
	}
});
