// Configuration files written by older versions are brought to the current format before defaults are filled
// and the file is validated, so a saved configuration keeps working after an update. Each step says what it
// changed (reported as warnings naming the field); a file from a newer version is refused.
import { configVersion } from './schema.js';
import { showValue, type ConfigIssue } from './issues.js';
import { httpTimeoutLimits } from './timeout-checks.js';

export class ConfigVersionError extends Error {
	override readonly name = 'ConfigVersionError';
}

type Step = (input: Record<string, unknown>, note: (path: string, value: unknown, message: string) => void) => void;

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * 1 → 2: http.timeout used to be the idle timeout of every HTTP service (25 s cut Outlook Anywhere, MAPI, EWS and
 * ActiveSync long polls); it now governs only OWA, ECP, OAB and Autodiscover, which need at least 10 s. A longer
 * value is kept as it is (the long-lived services get their own timeouts anyway); a shorter one is raised.
 */
const toVersion2: Step = (input, note) => {
	const http = input.http;
	if (!isObject(http) || typeof http.timeout !== 'number') return;
	if (http.timeout >= 1 && http.timeout < httpTimeoutLimits.minimum) {
		note('http.timeout', http.timeout, `raised from ${http.timeout} to ${httpTimeoutLimits.minimum} s (configuration version 2: it now governs OWA, ECP, OAB and Autodiscover only, which need at least ${httpTimeoutLimits.minimum} s)`);
		http.timeout = httpTimeoutLimits.minimum;
	}
};

/** steps[n] brings version n + 1 to version n + 2. */
const steps: readonly Step[] = [toVersion2];

/** The version a parsed file declares: none means 1 (files written before the field existed). */
function versionOf(input: Record<string, unknown>): number {
	if (!('version' in input)) return 1;
	const version = input.version;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
		throw new ConfigVersionError(`version: ${showValue(version)} is not a configuration version (1 to ${configVersion})`);
	}
	if (version > configVersion) {
		throw new ConfigVersionError(`version: ${version} was written by a newer exlb; this one reads versions 1 to ${configVersion}`);
	}
	return version;
}

/**
 * A copy of `input` in the current format, with one note per changed field. Anything that is not a JSON object is
 * returned as it is (validation names the problem).
 */
export function migrateConfig(input: unknown): { config: unknown; notes: ConfigIssue[] } {
	if (!isObject(input)) return { config: input, notes: [] };
	const config = structuredClone(input);
	const notes: ConfigIssue[] = [];
	for (let version = versionOf(config); version < configVersion; version++) {
		steps[version - 1]!(config, (path, value, message) => notes.push({ path, value, message }));
	}
	config.version = configVersion;
	return { config, notes };
}
