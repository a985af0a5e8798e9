// exlb cert import NAME FILE [--password-env VAR] | exlb cert list: certificates for ssl-offload.
// A .pfx/.p12 password is read from an environment variable, never from the command line (ps would show it).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { importPem, importPfx } from '../../certs/import.js';
import { splitPem, describeCertificate } from '../../certs/pem.js';
import { certNameProblem } from '../../config/grammar.js';
import { certificateFile } from '../../render/env.js';
import { selfSignedCertName } from '../../config/schema.js';
import { loadRunningConfig } from '../../config/store.js';
import { importCertificate } from '../../appliance/config-changes.js';
import { type Context, UsageError, applyOptions, renderEnv } from '../context.js';
import { reportApplied } from './apply.js';

export async function certCommand(context: Context, options: { 'password-env'?: string; controller?: string }, args: string[]): Promise<void> {
	const [action, name, file] = args;
	if (action === 'list') {
		const config = await loadRunningConfig(context.paths);
		const generated = await readFile(certificateFile(renderEnv(context), selfSignedCertName), 'utf8').catch(() => null);
		const leaf = generated === null ? undefined : splitPem(generated).certificates[0];
		const all = [...(leaf === undefined ? [] : [await describeCertificate(selfSignedCertName, leaf)]), ...config.certificates];
		for (const cert of all) {
			context.io.out(`${cert.name}\tCN=${cert.commonName}\t${cert.notBefore} → ${cert.notAfter}${cert.selfSigned ? '\tself-signed' : ''}\t${cert.fingerprint}`);
		}
		return;
	}
	if (action !== 'import' || name === undefined || file === undefined || args.length !== 3) {
		throw new UsageError('usage: exlb cert import NAME FILE [--password-env VAR] | exlb cert list');
	}
	const problem = certNameProblem(name) ?? (name === selfSignedCertName ? `"${selfSignedCertName}" is reserved for the generated certificate` : null);
	if (problem !== null) throw new UsageError(`certificate name: ${problem}`);
	const bytes = await readFile(file).catch((error: unknown) => {
		throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
	});
	const isPfx = /\.(pfx|p12)$/i.test(file) || !bytes.toString('latin1').includes('-----BEGIN');
	let imported;
	if (isPfx) {
		const variable = options['password-env'];
		const password = variable === undefined ? '' : context.environment[variable];
		if (password === undefined) throw new UsageError(`--password-env ${variable}: that environment variable is not set`);
		imported = await importPfx(name, bytes, password);
	} else {
		imported = await importPem(name, bytes.toString('utf8'));
	}
	// The PEM is written inside the apply's transaction and removed again if the apply is refused.
	const applying = applyOptions(context, options.controller);
	const result = await importCertificate(applying, imported);
	const { commonName, notBefore, notAfter, selfSigned } = imported.info;
	context.io.out(`imported ${name}: CN=${commonName}, valid ${notBefore} → ${notAfter}${selfSigned ? ', self-signed' : ''} (${path.basename(file)})`);
	reportApplied(context, applying, result);
}
