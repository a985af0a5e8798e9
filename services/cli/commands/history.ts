// exlb history list | diff FROM TO | revert ID [--include-network] [--comment TEXT]: the saved configuration's
// revisions, the difference between two, and the revert of one (applied, then saved as a new revision).
import type { ResultOf } from '../../engine/protocol.js';
import { cliActor, cliService } from '../appliance.js';
import { type Context, UsageError } from '../context.js';

const usage = 'usage: exlb history list | history diff FROM TO | history revert ID [--include-network] [--comment TEXT] [--controller ...]';

function revisionNumber(text: string | undefined, what: string): number {
	if (text === undefined || !/^[1-9]\d{0,8}$/.test(text)) throw new UsageError(`${what}: ${JSON.stringify(text ?? '')} is not a revision number\n${usage}`);
	return Number(text);
}

/** What a revert or a restore did, in one line per fact. */
export function reportSaved(context: Context, result: { revision: number; warnings: ResultOf<'history.revert'>['warnings']; daemons: ResultOf<'history.revert'>['daemons'] }): void {
	for (const warning of result.warnings) context.io.err(`warning: ${warning.path}: ${warning.message}`);
	const { started, reloaded, stopped } = result.daemons;
	const daemons = ([['started', started], ['reloaded', reloaded], ['stopped', stopped]] as const).filter(([, list]) => list.length > 0).map(([verb, list]) => `${verb} ${list.join(', ')}`);
	context.io.out(`applied and saved as revision ${result.revision}${daemons.length > 0 ? ` (${daemons.join('; ')})` : ''}`);
}

export async function historyCommand(context: Context, options: { 'include-network'?: boolean; comment?: string; controller?: string }, args: string[]): Promise<void> {
	const [action, first, second] = args;
	if (action !== 'revert' && (options['include-network'] !== undefined || options.comment !== undefined || options.controller !== undefined)) {
		throw new UsageError(`--include-network, --comment and --controller go with history revert\n${usage}`);
	}
	if (action === 'list' && args.length === 1) {
		const { revisions } = await cliService(context, 'none').listHistory();
		if (revisions.length === 0) context.io.out('no revisions yet (nothing was saved since the history began)');
		for (const revision of revisions) context.io.out(`${revision.id}\t${revision.time}\t${revision.user}\t${revision.source}\t${revision.comment}`);
		return;
	}
	if (action === 'diff' && args.length === 3) {
		const [from, to] = [revisionNumber(first, 'FROM'), revisionNumber(second, 'TO')];
		const { changes } = await cliService(context, 'none').diffRevisions(from, to);
		if (changes.length === 0) context.io.out(`no difference between revisions ${from} and ${to}`);
		for (const change of changes) context.io.out(`${change.path}: ${JSON.stringify(change.from)} (${from}) → ${JSON.stringify(change.to)} (${to})`);
		return;
	}
	if (action === 'revert' && args.length === 2) {
		const id = revisionNumber(first, 'ID');
		const result = await cliService(context, options.controller).revert({
			id, ...(options['include-network'] === true ? { includeNetwork: true } : {}), ...(options.comment === undefined ? {} : { comment: options.comment }),
		}, cliActor);
		reportSaved(context, result);
		return;
	}
	throw new UsageError(usage);
}
