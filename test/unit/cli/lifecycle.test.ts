// The CLI's lifecycle commands as a real subprocess (bin/exlb.js) in temp EXLB_ROOTs, no daemons run: save with a
// comment and the history (list, diff, revert), a backup written with a password from the environment and restored
// on another root, and the factory reset's flags.
import { access, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { appliancePaths } from '../../../services/paths.js';
import { exlb, makeExlbRoot } from '../../helpers/exlb-cli.js';

const exists = (file: string) => access(file).then(() => true, () => false);

test('save --comment, history list, diff and revert', async (t) => {
	const dir = await makeExlbRoot();
	t.is((await exlb(dir, ['set', 'casServers', '["10.0.0.1"]'])).exitCode, 0);
	const saved = await exlb(dir, ['save', '--comment', 'one CAS']);
	t.is(saved.exitCode, 0, saved.stderr);
	t.regex(saved.stdout, /\(revision 1\)$/);
	t.is((await exlb(dir, ['set', 'casServers', '["10.0.0.2"]'])).exitCode, 0);
	t.is((await exlb(dir, ['save'])).exitCode, 0);
	const list = await exlb(dir, ['history', 'list']);
	t.regex(list.stdout, /^2\t\S+\troot\tcli\t$/m);
	t.regex(list.stdout, /^1\t\S+\troot\tcli\tone CAS$/m);
	t.is((await exlb(dir, ['history', 'diff', '1', '2'])).stdout, 'casServers: ["10.0.0.1"] (1) → ["10.0.0.2"] (2)');
	const reverted = await exlb(dir, ['history', 'revert', '1', '--comment', 'undo']);
	t.is(reverted.exitCode, 0, reverted.stderr);
	t.regex(reverted.stdout, /applied and saved as revision 3/);
	t.is((await exlb(dir, ['show', 'casServers[0]'])).stdout, '"10.0.0.1"');
	t.regex((await exlb(dir, ['history', 'list'])).stdout, /^3\t.*\tcli\trevert to revision 1: undo$/m);
	t.is((await exlb(dir, ['history', 'revert', '9'])).exitCode, 1, 'an unknown revision is refused');
	t.is((await exlb(dir, ['history', 'diff', '1', 'x'])).exitCode, 2);
	t.is((await exlb(dir, ['history', 'list', '--comment', 'x'])).exitCode, 2);
	const control = await exlb(dir, ['save', '--comment', 'two\nlines']);
	t.is(control.exitCode, 1);
	t.regex(control.stderr, /comment: must be one line/);
});

test('backup with a password from the environment, restored on another appliance; a wrong password exits 1 and changes nothing', async (t) => {
	const source = await makeExlbRoot();
	t.is((await exlb(source, ['set', 'casServers', '["10.0.0.7"]'])).exitCode, 0);
	t.is((await exlb(source, ['save'])).exitCode, 0);
	const file = path.join(source, 'lb.exlbbak');
	const backup = await exlb(source, ['backup', file, '--password-env', 'BACKUP_PASSWORD'], { BACKUP_PASSWORD: 'a long backup password' });
	t.is(backup.exitCode, 0, backup.stderr);
	t.is((await stat(file)).mode & 0o777, 0o600);
	t.regex(await readFile(file, 'utf8'), /"encryption":\{"cipher":"aes-256-gcm"/);
	t.is((await exlb(source, ['backup', file, '--password-env', 'UNSET_VARIABLE'])).exitCode, 2);

	const target = await makeExlbRoot();
	const wrong = await exlb(target, ['restore', file, '--password-env', 'BACKUP_PASSWORD'], { BACKUP_PASSWORD: 'not the password' });
	t.is(wrong.exitCode, 1);
	t.regex(wrong.stderr, /password is wrong/);
	t.false(await exists(appliancePaths(target).savedConfig));
	const restored = await exlb(target, ['restore', file, '--password-env', 'BACKUP_PASSWORD'], { BACKUP_PASSWORD: 'a long backup password' });
	t.is(restored.exitCode, 0, restored.stderr);
	t.regex(restored.stdout, /network settings kept/);
	t.is((await exlb(target, ['show', 'casServers[0]'])).stdout, '"10.0.0.7"');
	t.regex((await exlb(target, ['history', 'list'])).stdout, /^1\t.*\troot\trestore\tbackup of exlb made /m);
});

test('factory-reset needs a level and --yes; the configuration level keeps the network', async (t) => {
	const dir = await makeExlbRoot();
	t.is((await exlb(dir, ['set', 'network', '{"hostname":"lb9","source":"static","address":"10.0.2.9","netmask":"255.255.255.0","gateway":"","vlan":null,"routes":[]}'])).exitCode, 0);
	t.is((await exlb(dir, ['set', 'casServers', '["10.0.2.20"]'])).exitCode, 0);
	t.is((await exlb(dir, ['factory-reset'])).exitCode, 2);
	t.is((await exlb(dir, ['factory-reset', '--level', 'partial', '--yes'])).exitCode, 2);
	const unconfirmed = await exlb(dir, ['factory-reset', '--level', 'configuration']);
	t.is(unconfirmed.exitCode, 2);
	t.regex(unconfirmed.stderr, /add --yes/);
	const reset = await exlb(dir, ['factory-reset', '--level', 'configuration', '--yes']);
	t.is(reset.exitCode, 0, reset.stderr);
	t.is((await exlb(dir, ['show', 'casServers'])).stdout, '[]');
	t.is((await exlb(dir, ['show', 'network.address'])).stdout, '"10.0.2.9"');
	const everything = await exlb(dir, ['factory-reset', '--level', 'everything', '--yes']);
	t.is(everything.exitCode, 0, everything.stderr);
	t.true(await exists(appliancePaths(dir).eraseMarker));
	t.false(await exists(appliancePaths(dir).savedConfig));
});
