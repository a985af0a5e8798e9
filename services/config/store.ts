// The saved (data partition, survives reboots) and running (tmpfs, what is applied now) configurations.
// Every write validates first and is atomic; every read names the file and the field that is wrong.
import { readFile } from 'node:fs/promises';
import { appliancePaths, type AppliancePaths } from '../paths.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { defaultConfig, type Config } from './schema.js';
import { validateConfig, ConfigValidationError, type ConfigIssue } from './validate.js';
import { withDefaults } from './defaults-fill.js';
import { migrateConfig, ConfigVersionError } from './migrate.js';

export class ConfigFileError extends Error {
	override readonly name = 'ConfigFileError';
	constructor(readonly file: string, message: string, options: { cause: unknown }) {
		super(`${file}: ${message}`, options);
	}
}

/**
 * Parses and validates config text: an older format is migrated first (its notes come back as warnings), then
 * missing keys take their defaults; unknown keys are errors.
 */
export function parseConfigText(text: string, source: string): { config: Config; warnings: ConfigIssue[] } {
	let input: unknown;
	try {
		input = JSON.parse(text);
	} catch (error) {
		throw new ConfigFileError(source, `not valid JSON (${(error as Error).message})`, { cause: error });
	}
	let migrated: ReturnType<typeof migrateConfig>;
	try {
		migrated = migrateConfig(input);
	} catch (error) {
		if (error instanceof ConfigVersionError) throw new ConfigFileError(source, error.message, { cause: error });
		throw error;
	}
	const result = validateConfig(withDefaults(migrated.config));
	if (!result.ok) throw new ConfigValidationError(result.errors, source);
	return { config: result.config, warnings: [...migrated.notes, ...result.warnings] };
}

/** Reads and validates a config file; null when the file does not exist. */
export async function readConfigFile(file: string): Promise<Config | null> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw new ConfigFileError(file, `cannot be read (${(error as Error).message})`, { cause: error });
	}
	return parseConfigText(text, file).config;
}

/** The saved configuration, or null for factory settings (nothing saved yet). */
export async function loadSavedConfig(paths: AppliancePaths = appliancePaths()): Promise<Config | null> {
	return readConfigFile(paths.savedConfig);
}

/** What is in force: the running config if any, else the saved one, else the factory defaults. */
export async function loadRunningConfig(paths: AppliancePaths = appliancePaths()): Promise<Config> {
	return (await readConfigFile(paths.runningConfig)) ?? (await loadSavedConfig(paths)) ?? defaultConfig();
}

export function serializeConfig(config: Config): string {
	return `${JSON.stringify(config, null, '\t')}\n`;
}

async function writeValidated(file: string, config: Config): Promise<ConfigIssue[]> {
	const result = validateConfig(config);
	if (!result.ok) throw new ConfigValidationError(result.errors);
	await writeFileAtomic(file, serializeConfig(result.config), { mode: 0o600 });
	return result.warnings;
}

/** Replaces the running configuration (does not render or reload: see apply()). Returns the warnings. */
export async function writeRunningConfig(config: Config, paths: AppliancePaths = appliancePaths()): Promise<ConfigIssue[]> {
	return writeValidated(paths.runningConfig, config);
}

/** Writes the configuration to the data partition so it survives a reboot. Returns the warnings. */
export async function saveConfig(config: Config, paths: AppliancePaths = appliancePaths()): Promise<ConfigIssue[]> {
	return writeValidated(paths.savedConfig, config);
}
