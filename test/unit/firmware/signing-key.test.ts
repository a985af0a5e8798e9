// The build's signing key: EXLB_SIGNING_KEY, else the config directory's key, else a development key created
// once (and said so), then reused.
import { generateKeyPairSync } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { BundleKeyError } from '../../../services/firmware/bundle-errors.js';
import { trustedKeyFromPem } from '../../../services/firmware/bundle-keys.js';
import { configSigningKeyFile, loadSigningKey } from '../../../services/firmware/signing-key.js';
import { tempDir } from '../../helpers/firmware-bundles.js';

test('without a configured key a development key is created once, said so, then reused', async (t) => {
	const config = await tempDir(t);
	const env = { XDG_CONFIG_HOME: config };
	const said: string[] = [];
	const first = await loadSigningKey(env, (message) => said.push(message));
	const file = path.join(config, 'exlb', 'signing-key.pem');
	t.is(first.file, file);
	t.is(first.origin, 'created');
	t.is(said.length, 1);
	t.true(said[0]!.includes(file) && said[0]!.includes(first.keyId));
	t.is((await stat(file)).mode & 0o777, 0o600);
	t.deepEqual(await readdir(path.dirname(file)), ['signing-key.pem']);
	const pem = await readFile(file, 'utf8');
	const second = await loadSigningKey(env, (message) => said.push(message));
	t.is(second.origin, 'config directory');
	t.is(second.keyId, first.keyId);
	t.is(second.publicKeyPem, first.publicKeyPem);
	t.is(said.length, 1, 'nothing said the second time');
	t.is(await readFile(file, 'utf8'), pem, 'the key file is unchanged');
	t.is(trustedKeyFromPem(first.publicKeyPem, 'public half').keyId, first.keyId);
	t.false(first.publicKeyPem.includes('PRIVATE'));
});

test('the config directory defaults to ~/.config', (t) => {
	t.is(configSigningKeyFile({ HOME: '/home/builder' }), '/home/builder/.config/exlb/signing-key.pem');
	t.is(configSigningKeyFile({ HOME: '/home/builder', XDG_CONFIG_HOME: '/cfg' }), '/cfg/exlb/signing-key.pem');
});

test('EXLB_SIGNING_KEY names the key and wins over the config directory', async (t) => {
	const dir = await tempDir(t);
	const configured = await loadSigningKey({ XDG_CONFIG_HOME: dir });
	const named = path.join(dir, 'release.pem');
	await writeFile(named, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
	const key = await loadSigningKey({ XDG_CONFIG_HOME: dir, EXLB_SIGNING_KEY: named });
	t.is(key.origin, 'EXLB_SIGNING_KEY');
	t.is(key.file, named);
	t.not(key.keyId, configured.keyId);
});

test('EXLB_SIGNING_KEY missing, not a key, or not Ed25519: BundleKeyError naming the file, no key created', async (t) => {
	const dir = await tempDir(t);
	const notKey = path.join(dir, 'not-a-key.pem');
	await writeFile(notKey, 'hello\n');
	const rsa = path.join(dir, 'rsa.pem');
	await writeFile(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
	for (const [file, problem] of [[path.join(dir, 'absent.pem'), /does not exist/], [notKey, /not a PEM private key/], [rsa, /rsa key, not Ed25519/]] as const) {
		const error = await t.throwsAsync(loadSigningKey({ XDG_CONFIG_HOME: dir, EXLB_SIGNING_KEY: file }), { instanceOf: BundleKeyError });
		t.is(error!.field, 'EXLB_SIGNING_KEY');
		t.is(error!.value, file);
		t.regex(error!.message, problem);
	}
	t.deepEqual((await readdir(dir)).sort(), ['not-a-key.pem', 'rsa.pem']);
});
