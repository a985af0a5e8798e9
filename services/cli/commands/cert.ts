// exlb cert import NAME FILE [--password-env VAR] | exlb cert list: certificates for ssl-offload.
// A .pfx/.p12 password is read from an environment variable, never from the command line (ps would show it).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Context, UsageError } from '../context.js';
import { cliActor, cliService } from '../appliance.js';
import { passwordFromEnv, printWarnings } from '../context.js';

export async function certCommand(context: Context, options: { 'password-env'?: string; controller?: string }, args: string[]): Promise<void> {
	const [action, name, file] = args;
	if (action === 'list') {
		for (const cert of await cliService(context, 'none').listCertificates()) {
			context.io.out(`${cert.name}\tCN=${cert.commonName}\t${cert.notBefore} → ${cert.notAfter}${cert.selfSigned ? '\tself-signed' : ''}\t${cert.fingerprint}`);
		}
		return;
	}
	if (action !== 'import' || name === undefined || file === undefined || args.length !== 3) {
		throw new UsageError('usage: exlb cert import NAME FILE [--password-env VAR] | exlb cert list');
	}
	const bytes = await readFile(file).catch((error: unknown) => {
		throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
	});
	const isPfx = /\.(pfx|p12)$/i.test(file) || !bytes.toString('latin1').includes('-----BEGIN');
	let source: { pem: string } | { pfxBase64: string; password: string };
	if (isPfx) {
		source = { pfxBase64: bytes.toString('base64'), password: passwordFromEnv(context, options['password-env']) ?? '' };
	} else {
		source = { pem: bytes.toString('utf8') };
	}
	// The service writes the PEM inside the apply's transaction and removes it again if the apply is refused.
	const { certificate, warnings } = await cliService(context, options.controller).importCertificate({ name, ...source }, cliActor);
	printWarnings(context, warnings.map((warning) => ({ ...warning, value: undefined })));
	const { commonName, notBefore, notAfter, selfSigned } = certificate;
	context.io.out(`imported ${name}: CN=${commonName}, valid ${notBefore} → ${notAfter}${selfSigned ? ', self-signed' : ''} (${path.basename(file)})`);
}
