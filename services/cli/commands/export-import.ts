// exlb export [--out FILE] (JSON, stdout by default) and exlb import FILE (validated, then applied as running).
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { loadRunningConfig, parseConfigText, serializeConfig } from '../../config/store.js';
import { type Context, UsageError, printWarnings } from '../context.js';
import { applyAndReport } from './apply.js';

export async function exportCommand(context: Context, options: { out?: string }): Promise<void> {
	const text = serializeConfig(await loadRunningConfig(context.paths));
	if (options.out === undefined) {
		context.io.out(text.trimEnd());
		return;
	}
	await writeFileAtomic(options.out, text, { mode: 0o600 });
	context.io.err(`exported to ${options.out}`);
}

export async function importCommand(context: Context, options: { controller?: string }, args: string[]): Promise<void> {
	if (args.length !== 1) throw new UsageError('import needs FILE');
	const file = args[0]!;
	const text = await readFile(file, 'utf8').catch((error: unknown) => {
		throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
	});
	const { config, warnings } = parseConfigText(text, file);
	printWarnings(context, warnings);
	await applyAndReport(context, config, options.controller);
}
