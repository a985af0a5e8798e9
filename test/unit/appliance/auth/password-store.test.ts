// The web admin account on the engine side: admin/admin while no hash file exists (with a forced change), the
// change checked and written as a scrypt hash (mode 0600), nothing written on a refusal, and the console's reset
// (removing the file) bringing the factory password back.
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { PasswordStore } from '../../../../services/appliance/auth/password-store.js';
import { ApplianceProblem } from '../../../../services/appliance/problems.js';
import { appliancePaths } from '../../../../services/paths.js';

async function store() {
	const paths = appliancePaths(await mkdtemp(path.join(tmpdir(), 'exlb-auth-')));
	return { paths, passwords: PasswordStore.of(paths) };
}

const exists = (file: string) => stat(file).then(() => true, () => false);

test('without a password file, admin/admin logs in and must change the password; nothing else logs in', async (t) => {
	const { passwords } = await store();
	t.deepEqual(await passwords.check('admin', 'admin'), { ok: true, passwordChangeRequired: true });
	t.false((await passwords.check('admin', 'Admin')).ok);
	t.false((await passwords.check('root', 'admin')).ok);
});

test('a change needs the current password and a good new one; a refusal names the field and writes nothing', async (t) => {
	const { paths, passwords } = await store();
	const wrong = await t.throwsAsync(passwords.change('admin', 'nope', 'tulip lantern orbit 2031'), { instanceOf: ApplianceProblem });
	t.is(wrong.kind, 'unauthorized');
	t.deepEqual(wrong.errors.map((error) => error.path), ['current']);
	const weak = await t.throwsAsync(passwords.change('admin', 'admin', 'iloveyou1234'), { instanceOf: ApplianceProblem });
	t.is(weak.kind, 'invalid');
	t.deepEqual(weak.errors.map((error) => error.path), ['new']);
	t.false(await exists(paths.adminPasswordFile));
});

test('after a change the file holds a scrypt hash readable by root only; the new password logs in without a forced change', async (t) => {
	const { paths, passwords } = await store();
	await passwords.change('admin', 'admin', 'tulip lantern orbit 2031');
	const text = await readFile(paths.adminPasswordFile, 'utf8');
	t.regex(text, /^\$scrypt\$ln=15,r=8,p=3\$[^$]+\$[^$]+\n$/);
	t.false(text.includes('tulip'));
	t.is((await stat(paths.adminPasswordFile)).mode & 0o777, 0o600);
	t.deepEqual(await passwords.check('admin', 'tulip lantern orbit 2031'), { ok: true, passwordChangeRequired: false });
	t.false((await passwords.check('admin', 'admin')).ok, 'the factory password no longer works');
	const same = await t.throwsAsync(passwords.change('admin', 'tulip lantern orbit 2031', 'tulip lantern orbit 2031'), { instanceOf: ApplianceProblem });
	t.regex(same.message, /must differ/);
});

test('removing the file (the console menu\'s reset) brings back admin/admin with a forced change', async (t) => {
	const { paths, passwords } = await store();
	await passwords.change('admin', 'admin', 'tulip lantern orbit 2031');
	await rm(paths.adminPasswordFile);
	t.deepEqual(await passwords.check('admin', 'admin'), { ok: true, passwordChangeRequired: true });
});

test('a damaged password file is a failure that says how to recover, not a way in', async (t) => {
	const { paths, passwords } = await store();
	await mkdir(path.dirname(paths.adminPasswordFile), { recursive: true });
	await writeFile(paths.adminPasswordFile, 'admin\n');
	const problem = await t.throwsAsync(passwords.check('admin', 'admin'), { instanceOf: ApplianceProblem });
	t.is(problem.kind, 'failed');
	t.regex(problem.message, /reset the web admin password from the console menu/);
});
