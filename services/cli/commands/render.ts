// exlb render --config FILE --out DIR [--local]: the daemon and networkd files a config turns into.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { validateConfig, ConfigValidationError } from '../../config/validate.js';
import { renderAll, daemonTexts, configFileName, type Daemon } from '../../render/index.js';
import { localRenderEnv } from '../../render/env.js';
import { resolveSyslogServer } from '../../apply/syslog-address.js';
import { type Context, UsageError, configFrom, printWarnings, renderEnv } from '../context.js';

export async function renderCommand(context: Context, options: { config?: string; out?: string; local?: boolean }): Promise<void> {
	if (options.out === undefined) throw new UsageError('render needs --out DIR');
	const out = path.resolve(options.out);
	const result = validateConfig(await configFrom(context, options.config));
	if (!result.ok) throw new ConfigValidationError(result.errors, options.config);
	const syslog = await resolveSyslogServer(result.config);
	printWarnings(context, syslog.warning === null ? result.warnings : [...result.warnings, syslog.warning]);
	// --local: sockets, pid files and certificates under DIR (to run the daemons there); default: the appliance's.
	const files = renderAll(result.config, options.local ? localRenderEnv(out) : renderEnv(context), { syslogAddress: syslog.address });
	await mkdir(out, { recursive: true });
	const written: string[] = [];
	for (const [daemon, text] of Object.entries(daemonTexts(files))) {
		if (text === null) continue;
		const name = configFileName(daemon as Daemon);
		await writeFileAtomic(path.join(out, name), text);
		written.push(name);
	}
	for (const [name, text] of Object.entries(files.networkd)) {
		await writeFileAtomic(path.join(out, 'networkd', name), text);
		written.push(`networkd/${name}`);
	}
	context.io.out(written.map((name) => path.join(out, name)).join('\n'));
}
