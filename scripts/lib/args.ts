// Command-line options for the scripts: a declared set of options parsed with zx's minimist (parseArgv),
// each with a help line, a default and optionally an environment variable read when the option is absent.
// Unknown options, stray arguments and malformed numbers are errors, so a typo never runs a long build
// with the defaults. --help (-h) prints the script's header and the options.
import { fileURLToPath } from 'node:url';
import { echo, parseArgv } from 'zx';

export interface Option {
	readonly type: 'number' | 'boolean' | 'string' | 'list';
	readonly help: string;
	/** Environment variable used when the option is not given. */
	readonly env?: string;
	readonly default?: number | boolean | string | readonly string[];
	/** number: whole numbers only. */
	readonly integer?: boolean;
	/** string or list: the accepted values. */
	readonly choices?: readonly string[];
	/** Shown in the usage line instead of the type ("DIR", "N"). */
	readonly value?: string;
}

export type Spec = Readonly<Record<string, Option>>;

type ValueOf<O extends Option> = O['type'] extends 'number' ? number : O['type'] extends 'boolean' ? boolean : O['type'] extends 'list' ? string[] : string | undefined;

export type Values<S extends Spec> = { -readonly [K in keyof S]: ValueOf<S[K]> } & { help: boolean };

export class UsageError extends Error {}

function convert(name: string, option: Option, raw: string | boolean, source: string): number | boolean | string | string[] {
	if (option.type === 'boolean') return raw === true || raw === '1' || raw === 'true' || raw === 'yes';
	const text = String(raw);
	if (option.type === 'number') {
		const value = Number(text);
		if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || (option.integer && !Number.isInteger(value))) {
			throw new UsageError(`${source} wants a positive ${option.integer ? 'whole ' : ''}number, not "${text}"`);
		}
		return value;
	}
	const values = option.type === 'list' ? text.split(',').map((item) => item.trim()).filter((item) => item !== '') : [text];
	const wrong = option.choices ? values.find((item) => !option.choices!.includes(item)) : undefined;
	if (wrong !== undefined) throw new UsageError(`${source}: "${wrong}" is not one of ${option.choices!.join(', ')}`);
	if (option.type === 'string' && text === '') throw new UsageError(`${source} wants a value`);
	return option.type === 'list' ? values : text;
}

/** Parses `args` against `spec`; throws UsageError for anything the spec does not declare. */
export function parseOptions<S extends Spec>(spec: S, args: readonly string[], env: NodeJS.ProcessEnv = {}): Values<S> {
	const names = Object.keys(spec);
	const booleans = names.filter((name) => spec[name]!.type === 'boolean');
	const parsed = parseArgv([...args], { boolean: ['help', ...booleans], string: names.filter((name) => !booleans.includes(name)), alias: { h: 'help' } });
	if (parsed._.length > 0) throw new UsageError(`unexpected argument "${parsed._[0]}"`);
	const unknown = Object.keys(parsed).find((key) => key !== '_' && key !== 'help' && key !== 'h' && !(key in spec));
	if (unknown !== undefined) throw new UsageError(`unknown option ${unknown.length === 1 ? '-' : '--'}${unknown}`);
	const values: Record<string, unknown> = { help: parsed.help === true };
	for (const name of names) {
		const option = spec[name]!;
		const given = parsed[name] as string | boolean | (string | boolean)[] | undefined;
		const raw = Array.isArray(given) ? given.at(-1) : given;
		// minimist sets absent booleans to false: only --name or --no-name counts as given.
		const present = option.type === 'boolean' ? args.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`) || arg === `--no-${name}`) : raw !== undefined;
		const fromEnv = option.env !== undefined ? env[option.env] : undefined;
		if (present) values[name] = convert(name, option, raw!, `--${name}`);
		else if (fromEnv !== undefined && fromEnv !== '') values[name] = convert(name, option, fromEnv, option.env!);
		else values[name] = option.type === 'list' ? [...((option.default as readonly string[] | undefined) ?? option.choices ?? [])] : option.default ?? (option.type === 'boolean' ? false : undefined);
	}
	return values as Values<S>;
}

/** The option list for --help. */
export function usage(spec: Spec): string {
	const rows = Object.entries(spec).map(([name, option]) => {
		const value = option.type === 'boolean' ? '' : ` ${option.value ?? (option.type === 'number' ? 'N' : option.choices ? (option.type === 'list' ? option.choices.join(',') : option.choices.join('|')) : 'VALUE')}`;
		const notes = [
			option.default !== undefined && option.type !== 'boolean' ? `default ${String(option.default)}` : undefined,
			option.env ? `env ${option.env}` : undefined,
		].filter(Boolean);
		return [`--${name}${value}`, `${option.help}${notes.length ? ` (${notes.join('; ')})` : ''}`];
	});
	rows.push(['--help, -h', 'this text']);
	const width = Math.max(...rows.map(([left]) => left!.length));
	return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`).join('\n');
}

/**
 * The options of the running script: prints `about` and the option list for --help and exits 0;
 * prints the error and exits 2 on a usage error.
 */
export function cli<S extends Spec>(about: string, spec: S, args = process.argv.slice(2), env = process.env): Values<S> {
	try {
		const values = parseOptions(spec, args, env);
		if (values.help) {
			echo(`${about.trim()}\n\noptions:\n${usage(spec)}`);
			process.exit(0);
		}
		return values;
	} catch (error: unknown) {
		if (!(error instanceof UsageError)) throw error;
		process.stderr.write(`${error.message} (see --help)\n`);
		process.exit(2);
	}
}

/** True when the module at `url` is the script node was started with (not imported by another script or a test). */
export function isMain(url: string): boolean {
	return process.argv[1] === fileURLToPath(url);
}

/** Runs a script's main work; a failure is printed with its stack under the script's name and exits 1. */
export async function runMain(name: string, work: () => Promise<void>): Promise<void> {
	await work().catch((error: unknown) => {
		console.error(`\n${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		process.exitCode = 1;
	});
}
