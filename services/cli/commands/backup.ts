// exlb backup FILE [--password-env VAR] and exlb restore FILE [--password-env VAR] [--include-network]: the saved
// configuration, the imported certificates with their keys and the history's metadata in one file (encrypted with
// the password, which is required when keys are inside), and its checked restore. Passwords come from an
// environment variable, never from the command line.
import { readFile } from 'node:fs/promises';
import { maxBackupBytes } from '../../backup/format.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { cliActor, cliService } from '../appliance.js';
import { type Context, UsageError, passwordFromEnv } from '../context.js';
import { reportSaved } from './history.js';

export async function backupCommand(context: Context, options: { 'password-env'?: string }, args: string[]): Promise<void> {
	const [file] = args;
	if (file === undefined) throw new UsageError('usage: exlb backup FILE [--password-env VAR]');
	const { contentBase64, manifest } = await cliService(context, 'none').createBackup(passwordFromEnv(context, options['password-env']), cliActor);
	await writeFileAtomic(file, Buffer.from(contentBase64, 'base64'), { mode: 0o600 });
	context.io.out(`backup written to ${file} (exlb ${manifest.firmwareVersion}, configuration version ${manifest.schemaVersion}, ${manifest.containsPrivateKeys ? 'certificate keys inside, encrypted' : 'no keys inside'})`);
}

export async function restoreCommand(context: Context, options: { 'password-env'?: string; 'include-network'?: boolean; controller?: string }, args: string[]): Promise<void> {
	const [file] = args;
	if (file === undefined) throw new UsageError('usage: exlb restore FILE [--password-env VAR] [--include-network] [--controller ...]');
	const bytes = await readFile(file).catch((error: unknown) => {
		throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
	});
	if (bytes.length > maxBackupBytes) throw new UsageError(`${file} is larger than a backup can be (${maxBackupBytes} bytes)`);
	const password = passwordFromEnv(context, options['password-env']);
	const result = await cliService(context, options.controller).restore({
		contentBase64: bytes.toString('base64'), ...(password === undefined ? {} : { password }), includeNetwork: options['include-network'] === true,
	}, cliActor);
	context.io.out(`restored the backup of ${result.manifest.hostname} made ${result.manifest.created} by exlb ${result.manifest.firmwareVersion}`
		+ `${options['include-network'] === true ? ' (network settings included)' : ' (this appliance\'s network settings kept)'}`);
	reportSaved(context, result);
}
