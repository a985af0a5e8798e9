// The trusted public keys an appliance reads from its image.
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { BundleKeyError } from '../../../services/firmware/bundle-errors.js';
import { keyIdOf, loadTrustedKeys } from '../../../services/firmware/bundle-keys.js';
import { tempDir } from '../../helpers/firmware-bundles.js';

const publicPem = (type: 'ed25519' | 'ec') =>
	(type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519')).publicKey.export({ type: 'spki', format: 'pem' }).toString();

test('every *.pem of the directory, in name order, with its key id', async (t) => {
	const dir = await tempDir(t);
	const [first, second] = [generateKeyPairSync('ed25519'), generateKeyPairSync('ed25519')];
	await writeFile(path.join(dir, 'b.pem'), second.publicKey.export({ type: 'spki', format: 'pem' }));
	await writeFile(path.join(dir, 'a.pem'), first.publicKey.export({ type: 'spki', format: 'pem' }));
	await writeFile(path.join(dir, 'README'), 'not a key');
	const keys = await loadTrustedKeys(dir);
	t.deepEqual(keys.map((key) => [path.basename(key.source), key.keyId]), [['a.pem', keyIdOf(first.publicKey)], ['b.pem', keyIdOf(second.publicKey)]]);
	t.is(keyIdOf(first.privateKey), keyIdOf(first.publicKey));
});

test('no directory, no key in it, or a key that is not Ed25519: BundleKeyError naming it', async (t) => {
	const dir = await tempDir(t);
	t.is((await t.throwsAsync(loadTrustedKeys(path.join(dir, 'absent')), { instanceOf: BundleKeyError }))!.value, path.join(dir, 'absent'));
	await mkdir(path.join(dir, 'empty'));
	t.regex((await t.throwsAsync(loadTrustedKeys(path.join(dir, 'empty')), { instanceOf: BundleKeyError }))!.message, /no \*\.pem/);
	await writeFile(path.join(dir, 'ec.pem'), publicPem('ec'));
	t.regex((await t.throwsAsync(loadTrustedKeys(dir), { instanceOf: BundleKeyError }))!.message, /ec key, not Ed25519/);
});
