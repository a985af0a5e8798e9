// The exlb command line: parses arguments, runs one command, maps failures to exit codes.
// Exit codes: 0 success; 1 the configuration (or certificate) was refused; 2 usage error; 3 any other failure.
import { parseArgs } from 'node:util';
import { type Io, type Context, makeContext, UsageError } from './context.js';
import { validateCommand } from './commands/validate.js';
import { renderCommand } from './commands/render.js';
import { applyCommand } from './commands/apply.js';
import { saveCommand } from './commands/save.js';
import { diffCommand } from './commands/diff.js';
import { showCommand } from './commands/show.js';
import { setCommand } from './commands/set.js';
import { exportCommand, importCommand } from './commands/export-import.js';
import { certCommand } from './commands/cert.js';
import { runCommand } from './commands/run.js';
import { historyCommand } from './commands/history.js';
import { backupCommand, restoreCommand } from './commands/backup.js';
import { factoryResetCommand } from './commands/factory-reset.js';
import { firmwareCommand } from './commands/firmware.js';
import { haCommand } from './commands/ha.js';
import { causeChain } from '../cause-chain.js';
import { problemOf } from '../appliance/problems.js';

export const usage = `usage: exlb COMMAND [options]
  validate [--config FILE]             check a configuration (default: the running one)
  render --config FILE --out DIR [--local]
                                       write haproxy.cfg, stunnel-*.conf, keepalived.conf, networkd/*
  apply [--config FILE] [--controller systemd|none]
                                       check, swap and reload; the config becomes the running one
  save [--comment TEXT]                keep the running configuration across reboots (a new revision of the history)
  diff                                 running configuration vs saved one
  show [PATH] [--config FILE]          print the configuration or one field (JSON)
  set PATH VALUE [--config FILE] [--controller ...]
                                       change one field (applied at once without --config)
  export [--out FILE]                  the running configuration as JSON (stdout by default)
  import FILE [--controller ...]       validate a JSON file and apply it as the running configuration
  cert import NAME FILE [--password-env VAR] | cert list
                                       certificates for ssl-offload (.pem key+chain, or .pfx)
  history list | history diff FROM TO | history revert ID [--include-network] [--comment TEXT]
                                       the saved configuration's revisions (at most 60), their differences, a revert
  backup FILE [--password-env VAR]     saved configuration + certificates with keys + history metadata in one file
                                       (encrypted with the password; required when keys are inside)
  restore FILE [--password-env VAR] [--include-network] [--controller ...]
                                       check, apply and save a backup (this appliance's network kept unless asked)
  factory-reset --level configuration|everything --yes
                                       configuration: defaults in force, network kept; everything: /data re-created at boot
  firmware status | firmware install FILE [--force] | firmware boot-previous
                                       both system slots; install an update bundle (.exlbfw) into the slot not running
                                       (--force: allow an older version); the other, good slot boots next
  firmware verify FILE [--force] [--keys DIR]
                                       check an update bundle as an install would, writing nothing
                                       (--keys: trusted keys, /usr/share/exlb/firmware-keys)
  ha status | offer | pair ADDRESS CODE [--port N] | unpair | sync | sync-on-save on|off
                                       the HA pair (asks the running engine): pairing, configuration sync
  run [--config FILE]                  host without systemd: run the daemons in the foreground
                                       (SIGHUP re-applies the running configuration, SIGTERM stops)
environment: EXLB_ROOT (prefix of every appliance path), EXLB_CONTROLLER (systemd|none), EXLB_INTERFACE, EXLB_ENGINE_SOCKET (ha),
  EXLB_VERSION (the running version, else /usr/lib/exlb/release.env's), EXLB_FIRMWARE_PLATFORM (files:DIR: slots as files)`;

const options = {
	config: { type: 'string' },
	out: { type: 'string' },
	local: { type: 'boolean' },
	controller: { type: 'string' },
	'password-env': { type: 'string' },
	comment: { type: 'string' },
	'include-network': { type: 'boolean' },
	level: { type: 'string' },
	yes: { type: 'boolean' },
	port: { type: 'string' },
	force: { type: 'boolean' },
	keys: { type: 'string' },
	help: { type: 'boolean', short: 'h' },
} as const;

type Values = {
	config?: string; out?: string; local?: boolean; controller?: string; 'password-env'?: string; help?: boolean;
	comment?: string; 'include-network'?: boolean; level?: string; yes?: boolean; port?: string; force?: boolean; keys?: string;
};

interface CommandSpec {
	max: number;
	allowed: readonly (keyof Values)[];
	run: (context: Context, values: Values, args: string[]) => Promise<void>;
}

const commands: Record<string, CommandSpec> = {
	validate: { max: 0, allowed: ['config'], run: (context, values) => validateCommand(context, values) },
	render: { max: 0, allowed: ['config', 'out', 'local'], run: (context, values) => renderCommand(context, values) },
	apply: { max: 0, allowed: ['config', 'controller'], run: (context, values) => applyCommand(context, values) },
	save: { max: 0, allowed: ['comment'], run: (context, values) => saveCommand(context, values) },
	history: { max: 3, allowed: ['include-network', 'comment', 'controller'], run: (context, values, args) => historyCommand(context, values, args) },
	backup: { max: 1, allowed: ['password-env'], run: (context, values, args) => backupCommand(context, values, args) },
	restore: { max: 1, allowed: ['password-env', 'include-network', 'controller'], run: (context, values, args) => restoreCommand(context, values, args) },
	'factory-reset': { max: 0, allowed: ['level', 'yes', 'controller'], run: (context, values) => factoryResetCommand(context, values) },
	firmware: { max: 2, allowed: ['force', 'keys'], run: (context, values, args) => firmwareCommand(context, values, args) },
	diff: { max: 0, allowed: [], run: (context) => diffCommand(context) },
	show: { max: 1, allowed: ['config'], run: (context, values, args) => showCommand(context, values, args[0]) },
	set: { max: 2, allowed: ['config', 'controller'], run: (context, values, args) => setCommand(context, values, args) },
	export: { max: 0, allowed: ['out'], run: (context, values) => exportCommand(context, values) },
	import: { max: 1, allowed: ['controller'], run: (context, values, args) => importCommand(context, values, args) },
	run: { max: 0, allowed: ['config'], run: (context, values) => runCommand(context, values) },
	cert: { max: 3, allowed: ['password-env', 'controller'], run: (context, values, args) => certCommand(context, values, args) },
	ha: { max: 3, allowed: ['port'], run: (context, values, args) => haCommand(context, values, args) },
};

/** 2: usage; 1: the input was refused (the one classifier, services/appliance/problems.ts); 3: anything else. */
function exitCodeOf(error: unknown): number {
	if (error instanceof UsageError) return 2;
	return ['invalid', 'refused-by-daemon', 'not-found', 'conflict'].includes(problemOf(error).kind) ? 1 : 3;
}

function messageOf(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	// Unexpected failures show their cause chain: the command, the daemon, the system call.
	if (exitCodeOf(error) !== 3) return error.message;
	return `${error.name === 'Error' ? '' : `${error.name}: `}${causeChain(error)}`;
}

export async function runCli(argv: readonly string[], io: Io, environment: NodeJS.ProcessEnv = process.env): Promise<number> {
	try {
		const [name, ...rest] = argv;
		if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
			io.out(usage);
			return name === undefined ? 2 : 0;
		}
		const command = commands[name];
		if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}\n${usage}`);
		let parsed;
		try {
			parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
		} catch (error) {
			throw new UsageError((error as Error).message, { cause: error });
		}
		const values = parsed.values as Values;
		if (values.help) {
			io.out(usage);
			return 0;
		}
		for (const key of Object.keys(values) as (keyof Values)[]) {
			if (!command.allowed.includes(key)) throw new UsageError(`${name} does not take --${key}`);
		}
		if (parsed.positionals.length > command.max) throw new UsageError(`${name}: unexpected argument ${JSON.stringify(parsed.positionals[command.max])}`);
		await command.run(makeContext(io, environment), values, parsed.positionals);
		return 0;
	} catch (error) {
		io.err(`exlb: ${messageOf(error)}`);
		return exitCodeOf(error);
	}
}
