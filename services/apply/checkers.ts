// The daemons' own config checks, run on a rendered file: `haproxy -c -f`, `keepalived -t -f`, and for
// stunnel (which has no dry-run flag) a real start in the foreground that is stopped as soon as it logs
// "Configuration successful" (inside a fresh network namespace when root, so it never binds a real port).
import { readFile, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { lastLines, oneLine, tryCommand } from '../os/exec.js';
import type { CheckProblem, Checker } from './errors.js';

export interface CheckOptions {
	/** Run the checker inside this network namespace (`ip netns exec NAME ...`); keepalived needs its interface to exist. */
	readonly netns?: string;
	/** Line → field map of the file (RenderedFiles.lineFields). */
	readonly lineFields?: readonly (string | null)[];
}

function wrap(command: string, args: string[], netns: string | undefined): [string, string[]] {
	return netns === undefined ? [command, args] : ['ip', ['netns', 'exec', netns, command, ...args]];
}

async function problemFactory(daemon: Checker, file: string, options: CheckOptions) {
	const lines = (await readFile(file, 'utf8')).split('\n');
	return (line: number | null, message: string): CheckProblem => ({
		daemon, file: path.basename(file), line, message: message.trim(),
		text: line === null ? null : lines[line - 1] ?? null,
		field: line === null ? null : options.lineFields?.[line - 1] ?? null,
	});
}

/** A checker that runs longer than this is stopped (the host may be busy). */
const checkTimeoutMs = 30_000;
/** Output lines quoted when a checker's complaint names no line. */
const tailLines = 5;

/** The last lines of a checker's output on one line, or its exit status when it printed nothing. */
function outputTail(output: string, exitCode: number | undefined): string {
	return oneLine(lastLines(output, tailLines)) || `exit status ${exitCode}`;
}

export async function checkHaproxy(file: string, options: CheckOptions = {}): Promise<CheckProblem[]> {
	const [command, args] = wrap('haproxy', ['-c', '-f', file], options.netns);
	const result = await tryCommand(command, args, { timeoutMs: checkTimeoutMs });
	if (result.exitCode === 0) return [];
	const make = await problemFactory('haproxy', file, options);
	const problems: CheckProblem[] = [];
	for (const match of result.output.matchAll(/\[ALERT\].*?parsing \[[^\]]*?:(\d+)\] : (.*)$/gm)) {
		problems.push(make(Number(match[1]), match[2]!));
	}
	if (problems.length === 0) problems.push(make(null, outputTail(result.output, result.exitCode)));
	return problems;
}

export async function checkKeepalived(file: string, options: CheckOptions = {}): Promise<CheckProblem[]> {
	const [command, args] = wrap('keepalived', ['-t', '-f', file, '--log-console', '--dont-fork'], options.netns);
	const result = await tryCommand(command, args, { timeoutMs: checkTimeoutMs });
	if (result.exitCode === 0) return [];
	const make = await problemFactory('keepalived', file, options);
	const problems: CheckProblem[] = [];
	const seen = new Set<number>();
	for (const match of result.output.matchAll(/\([^()]*: Line (\d+)\) (.*)$/gm)) {
		const line = Number(match[1]);
		if (!seen.has(line)) problems.push(make(line, match[2]!));
		seen.add(line);
	}
	if (problems.length === 0) problems.push(make(null, outputTail(result.output, result.exitCode)));
	return problems;
}

/** stunnel's check: start it on a copy forced to the foreground; success = "Configuration successful". */
export async function checkStunnel(file: string, options: CheckOptions = {}): Promise<CheckProblem[]> {
	const text = await readFile(file, 'utf8');
	// Same line count as the original so line numbers map back: only these two values are replaced.
	const checkCopy = `${file}.check`;
	await writeFile(checkCopy, text.replace(/^foreground = .*$/m, 'foreground = yes').replace(/^pid = .*$/m, 'pid = '), { mode: 0o600 });
	const isolate = options.netns === undefined && process.getuid?.() === 0;
	const [command, args] = isolate ? ['unshare', ['--net', 'stunnel', checkCopy]] : wrap('stunnel', [checkCopy], options.netns);
	// Stopped (SIGTERM) as soon as it has said whether the configuration loaded.
	const verdictSeen = new AbortController();
	let output = '';
	const outcome = await tryCommand(command, args, {
		timeoutMs: checkTimeoutMs,
		cancel: verdictSeen.signal,
		onOutput: (chunk) => {
			output += chunk;
			if (/Configuration (successful|failed)/.test(output)) verdictSeen.abort();
		},
	});
	const ok = /Configuration successful/.test(output);
	await rm(checkCopy, { force: true });
	if (ok) return [];
	const make = await problemFactory('stunnel', file, options);
	const problems: CheckProblem[] = [];
	for (const match of output.matchAll(/^.*?:(\d+): (".*)$/gm)) problems.push(make(Number(match[1]), match[2]!));
	if (problems.length === 0) {
		const lines = text.split('\n');
		const service = /Service \[([a-z0-9]+)\]/.exec(output)?.[1];
		// A TLS context that fails is the certificate of that section: point at its cert line.
		const section = service === undefined ? -1 : lines.indexOf(`[${service}]`);
		const certLine = section < 0 ? -1 : lines.findIndex((line, index) => index > section && line.startsWith('cert = '));
		const errors = output.split('\n').filter((line) => /\[!\]|LOG[0-3]/.test(line)).map((line) => line.replace(/^.*?(\[!\]|LOG[0-3]\[[^\]]*\]:)\s*/, ''));
		problems.push(make(certLine < 0 ? null : certLine + 1, errors.length > 0 ? errors.join('; ') : outputTail(output, outcome.exitCode)));
	}
	return problems;
}
