// Saved configurations from before the version field (format 1) keep working: migrated when read.
import test from 'ava';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfigText, loadSavedConfig, ConfigFileError, serializeConfig } from '../../../services/config/store.js';
import { defaultConfig, configVersion } from '../../../services/config/schema.js';
import { formatIssue } from '../../../services/config/validate.js';
import { appliancePaths } from '../../../services/paths.js';

const version1 = (http: Record<string, unknown>) => JSON.stringify({ casServers: ['10.0.0.1'], http: { mode: 'ssl-offload', ...http } });

test('a format-1 file with the old default timeout loads unchanged, in the current format', (t) => {
	const { config, warnings } = parseConfigText(version1({ timeout: 25 }), 'old.json');
	t.is(config.version, configVersion);
	t.is(config.http.timeout, 25);
	t.deepEqual(warnings, []);
});

test('a format-1 http.timeout too short for the new meaning is raised to 10 s, and the change is reported on the field', (t) => {
	const { config, warnings } = parseConfigText(version1({ timeout: 5 }), 'old.json');
	t.is(config.http.timeout, 10);
	t.deepEqual(warnings.map(formatIssue), ['http.timeout: raised from 5 to 10 s (configuration version 2: it now governs OWA, ECP, OAB and Autodiscover only, which need at least 10 s)']);
});

test('a format-1 timeout raised for Outlook Anywhere is kept, with the warning that it is no longer needed', (t) => {
	const { config, warnings } = parseConfigText(version1({ timeout: 3600 }), 'old.json');
	t.is(config.http.timeout, 3600);
	t.deepEqual(warnings.map((issue) => issue.path), ['http.timeout']);
});

test('a current file is not migrated: a short timeout there is refused', (t) => {
	const text = JSON.stringify({ version: 2, http: { timeout: 5 } });
	const error = t.throws(() => parseConfigText(text, 'new.json'));
	t.regex(error!.message, /new\.json[\s\S]*http\.timeout: 5 s would cut/);
	const current = defaultConfig();
	t.deepEqual(parseConfigText(serializeConfig(current), 'saved.json').config, current, 'what the appliance writes reads back as it is');
});

test('a file from a newer exlb, or with a version that is not one, is refused naming the file and the field', (t) => {
	for (const [version, message] of [[3, /^future\.json: version: 3 was written by a newer exlb; this one reads versions 1 to 2$/], ['2', /version: "2" is not a configuration version/]] as const) {
		const error = t.throws(() => parseConfigText(JSON.stringify({ version }), 'future.json'), { instanceOf: ConfigFileError });
		t.regex(error!.message, message);
	}
});

test('a saved format-1 file on the data partition loads migrated (the boot path)', async (t) => {
	const paths = appliancePaths(await mkdtemp(path.join(tmpdir(), 'exlb-migrate-')));
	await mkdir(path.dirname(paths.savedConfig), { recursive: true });
	await writeFile(paths.savedConfig, version1({ timeout: 3 }));
	const config = await loadSavedConfig(paths);
	t.like(config, { version: 2, http: { mode: 'ssl-offload', timeout: 10 } });
});
