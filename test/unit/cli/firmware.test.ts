// exlb firmware, run in-process (runCli). verify: a good bundle is described and exits 0; a refused one exits 1
// naming the check; a downgrade needs --force; usage mistakes exit 2. status, install and boot-previous on a files
// platform (EXLB_FIRMWARE_PLATFORM): the slots, the install's steps as they are done, a refusal exiting 1 with the
// boot state untouched, and the other slot chosen only when good.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { runCli } from '../../../services/cli/run.js';
import { makeBundle, newKey, tempDir } from '../../helpers/firmware-bundles.js';
import { makeTestPlatform } from '../../helpers/firmware-platform.js';

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
	t.is((await exlb(['firmware', 'upgrade', 'x'], { EXLB_VERSION: '1.0.0' })).exitCode, 2);
	t.is((await exlb(['firmware', 'status', '--force'], { EXLB_VERSION: '1.0.0' })).exitCode, 2);
	t.is((await exlb(['firmware', 'install', path.join(dir, 'x'), '--keys', keys], { EXLB_VERSION: '1.0.0' })).exitCode, 2);
	const missing = await exlb(['firmware', 'verify', path.join(dir, 'none.exlbfw'), '--keys', keys], { EXLB_VERSION: '1.0.0' });
	t.is(missing.exitCode, 2);
	t.regex(missing.stderr, /cannot read .*none\.exlbfw/);
});

async function platformSetup(t: ExecutionContext) {
	const { dir, key } = await setup(t);
	const platform = await makeTestPlatform(path.join(dir, 'platform'), [key]);
	const environment = { EXLB_ROOT: path.join(dir, 'root'), EXLB_CONTROLLER: 'none', EXLB_INTERFACE: 'eth0', EXLB_FIRMWARE_PLATFORM: platform.variable };
	return { dir, key, platform, environment };
}

test('status; install printing each step, then the slots; boot-previous: the running slot boots next again', async (t) => {
	const { dir, key, environment } = await platformSetup(t);
	const before = await exlb(['firmware', 'status'], environment);
	t.is(before.exitCode, 0, before.stderr);
	t.is(before.stdout, 'slot A\t1.0.0\tgood\trunning, boots next\nslot B\tno version\tbad');
	const bundle = await makeBundle(dir, key, { version: '1.2.0' });
	const installed = await exlb(['firmware', 'install', bundle.file], environment);
	t.is(installed.exitCode, 0, installed.stderr);
	t.is(installed.stdout, [
		'verified', 'written', 'read back', 'marked',
		'version 1.2.0 installed in slot B: it boots next, with 3 tries to pass its health checks; reboot to run it',
		'slot A\t1.0.0\tgood\trunning',
		'slot B\t1.2.0\ttrying (3 tries left)\tboots next',
	].join('\n'));
	const previous = await exlb(['firmware', 'boot-previous'], environment);
	t.is(previous.exitCode, 0, previous.stderr);
	t.regex(previous.stdout, /^slot A boots next; reboot to run it\nslot A\t1\.0\.0\tgood\trunning, boots next\n/);
});

test('install: an older bundle exits 1 naming the check, the boot state untouched; with --force it installs', async (t) => {
	const { dir, key, platform, environment } = await platformSetup(t);
	const stateBefore = await platform.bootStateText();
	const older = await makeBundle(dir, key, { version: '0.5.0' });
	const refused = await exlb(['firmware', 'install', older.file], environment);
	t.is(refused.exitCode, 1);
	t.is(refused.stderr, 'exlb: the firmware bundle was refused: manifest version "0.5.0": is older than the running 1.0.0: a downgrade needs force');
	t.is(await platform.bootStateText(), stateBefore);
	const forced = await exlb(['firmware', 'install', older.file, '--force'], environment);
	t.is(forced.exitCode, 0, forced.stderr);
	t.regex(forced.stdout, /version 0\.5\.0 installed in slot B/);
});

test('boot-previous to an empty slot exits 1 saying why; after a rollback, status says from where', async (t) => {
	const { platform, environment } = await platformSetup(t);
	const refused = await exlb(['firmware', 'boot-previous'], environment);
	t.is(refused.exitCode, 1);
	t.regex(refused.stderr, /^exlb: slot B is bad, not good/);
	await platform.writeBootState({ primary: 'A', slots: { A: { status: 'good', version: '1.0.0' }, B: { status: 'bad', version: '1.1.0' } }, rolledBackFrom: { slot: 'B', version: '1.1.0' } });
	const status = await exlb(['firmware', 'status'], environment);
	t.regex(status.stdout, /\nrolled back from slot B \(1\.1\.0\): it did not pass its health checks within its tries$/);
});

test('on a machine without the appliance\'s ESP: a failure naming it', async (t) => {
	const { dir } = await setup(t);
	const result = await exlb(['firmware', 'status'], { EXLB_ROOT: dir, EXLB_CONTROLLER: 'none', EXLB_INTERFACE: 'eth0' });
	t.not(result.exitCode, 0);
	t.regex(result.stderr, /ESP "\/efi"/);
});
