// exlb firmware verify, run in-process (runCli): a good bundle is described and exits 0; a refused one exits 1
// naming the check; a downgrade needs --force; usage mistakes exit 2.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { runCli } from '../../../services/cli/run.js';
import { makeBundle, newKey, tempDir } from '../../helpers/firmware-bundles.js';

async function exlb(args: string[], environment: NodeJS.ProcessEnv) {
	const out: string[] = [];
	const err: string[] = [];
	const exitCode = await runCli(args, { out: (text) => out.push(text), err: (text) => err.push(text) }, environment);
	return { exitCode, stdout: out.join('\n'), stderr: err.join('\n') };
}

async function setup(t: ExecutionContext) {
	const dir = await tempDir(t);
	const key = newKey();
	const keys = path.join(dir, 'keys');
	await mkdir(keys);
	await writeFile(path.join(keys, `${key.trusted.keyId}.pem`), key.trusted.key.export({ type: 'spki', format: 'pem' }));
	return { dir, key, keys };
}

test('a good bundle: exit 0, its version, compatible string, signer and payload hash', async (t) => {
	const { dir, key, keys } = await setup(t);
	const bundle = await makeBundle(dir, key, { version: '1.4.0' });
	const result = await exlb(['firmware', 'verify', bundle.file, '--keys', keys], { EXLB_VERSION: '1.3.0' });
	t.is(result.exitCode, 0, result.stderr);
	t.regex(result.stdout, new RegExp(`exlb 1\\.4\\.0 for exlb-x86_64-v1, signed by key ${key.trusted.keyId}; system\\.squashfs 300000 bytes`));
	t.regex(result.stdout, /verified \(running 1\.3\.0\)$/);
});

test('a tampered bundle or one of another key: exit 1 naming the check', async (t) => {
	const { dir, key, keys } = await setup(t);
	const bundle = await makeBundle(dir, key);
	const data = await readFile(bundle.file);
	const at = data.indexOf(bundle.payload.subarray(0, 64)) + 10;
	data[at] = data[at]! ^ 0xff;
	await writeFile(bundle.file, data);
	const tampered = await exlb(['firmware', 'verify', bundle.file, '--keys', keys], { EXLB_VERSION: '1.0.0' });
	t.is(tampered.exitCode, 1);
	t.regex(tampered.stderr, /^exlb: payload sha256 "[0-9a-f]{64}": is not the manifest's/);
	const foreign = await makeBundle(dir, newKey());
	const refused = await exlb(['firmware', 'verify', foreign.file, '--keys', keys], { EXLB_VERSION: '1.0.0' });
	t.is(refused.exitCode, 1);
	t.regex(refused.stderr, /manifest\.sig .*: is not a signature of the manifest by a trusted key/);
});

test('a downgrade is refused (exit 1) unless --force', async (t) => {
	const { dir, key, keys } = await setup(t);
	const bundle = await makeBundle(dir, key, { version: '0.5.0' });
	const refused = await exlb(['firmware', 'verify', bundle.file, '--keys', keys], { EXLB_VERSION: '1.0.0' });
	t.is(refused.exitCode, 1);
	t.regex(refused.stderr, /manifest version "0\.5\.0": is older than the running 1\.0\.0/);
	t.is((await exlb(['firmware', 'verify', bundle.file, '--keys', keys, '--force'], { EXLB_VERSION: '1.0.0' })).exitCode, 0);
});

test('usage mistakes exit 2: no file, a missing file, an unknown action', async (t) => {
	const { dir, keys } = await setup(t);
	t.is((await exlb(['firmware', 'verify'], { EXLB_VERSION: '1.0.0' })).exitCode, 2);
	t.is((await exlb(['firmware', 'install', 'x'], { EXLB_VERSION: '1.0.0' })).exitCode, 2);
	const missing = await exlb(['firmware', 'verify', path.join(dir, 'none.exlbfw'), '--keys', keys], { EXLB_VERSION: '1.0.0' });
	t.is(missing.exitCode, 2);
	t.regex(missing.stderr, /cannot read .*none\.exlbfw/);
});
