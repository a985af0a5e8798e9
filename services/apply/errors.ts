// Typed errors of apply(): a checker refused a rendered file, or a daemon could not be controlled.

import type { Daemon } from '../render/daemons.js';

export type { Daemon } from '../render/daemons.js';
/** The program whose own check refused a file. */
export type Checker = 'haproxy' | 'stunnel' | 'keepalived';

/** One complaint of a checker, mapped back to the rendered line and the config field it came from. */
export interface CheckProblem {
	readonly daemon: Checker;
	readonly file: string;
	readonly line: number | null;
	/** The rendered line the checker complained about. */
	readonly text: string | null;
	/** The config field that line came from (null: fixed text, or no line given). */
	readonly field: string | null;
	readonly message: string;
}

export function formatProblem(problem: CheckProblem): string {
	const where = problem.line === null ? problem.file : `${problem.file} line ${problem.line}`;
	const field = problem.field === null ? '' : `${problem.field}: `;
	const text = problem.text === null ? '' : ` (rendered: ${JSON.stringify(problem.text.trim())})`;
	return `${field}${problem.daemon} refused ${where}: ${problem.message}${text}`;
}

export class RenderCheckError extends Error {
	override readonly name = 'RenderCheckError';
	constructor(readonly problems: readonly CheckProblem[], options?: { cause?: unknown }) {
		super(`the rendered configuration was refused; nothing was changed:\n${problems.map((problem) => `  ${formatProblem(problem)}`).join('\n')}`, options);
	}
}

export class ServiceControlError extends Error {
	override readonly name = 'ServiceControlError';
	constructor(readonly daemon: Daemon, readonly action: string, detail: string, options?: { cause?: unknown }) {
		super(`could not ${action} ${daemon}: ${detail}`, options);
	}
}

export class ApplyError extends Error {
	override readonly name: string = 'ApplyError';
}
