import test from 'ava';
import { mkdtemp, mkdir, readFile, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appliancePaths } from '../../../services/paths.js';
import { defaultConfig } from '../../../services/config/schema.js';
import { loadSavedConfig, loadRunningConfig, writeRunningConfig, saveConfig, ConfigFileError } from '../../../services/config/store.js';
import { ConfigValidationError } from '../../../services/config/validate.js';

async function tempPaths() {
	return appliancePaths(await mkdtemp(path.join(tmpdir(), 'exlb-store-')));
}

test('nothing saved: null saved config, running = factory defaults', async (t) => {
	const paths = await tempPaths();
	t.is(await loadSavedConfig(paths), null);
	t.deepEqual(await loadRunningConfig(paths), defaultConfig());
});

test('running falls back to saved, and is preferred once written', async (t) => {
	const paths = await tempPaths();
	const saved = defaultConfig();
	saved.network.hostname = 'saved';
	await saveConfig(saved, paths);
	t.is((await loadRunningConfig(paths)).network.hostname, 'saved');
	const running = defaultConfig();
	running.network.hostname = 'running';
	await writeRunningConfig(running, paths);
	t.is((await loadRunningConfig(paths)).network.hostname, 'running');
	t.is((await loadSavedConfig(paths))!.network.hostname, 'saved');
	t.deepEqual(JSON.parse(await readFile(paths.runningConfig, 'utf8')), running);
});

test('an invalid config is not written and what was saved stays', async (t) => {
	const paths = await tempPaths();
	await saveConfig(defaultConfig(), paths);
	const before = await readFile(paths.savedConfig, 'utf8');
	const bad = defaultConfig();
	bad.http.casHttpPort = 70000;
	const error = await t.throwsAsync(saveConfig(bad, paths), { instanceOf: ConfigValidationError });
	t.regex(error!.message, /http\.casHttpPort: 70000 is not a port/);
	t.is(await readFile(paths.savedConfig, 'utf8'), before);
	t.deepEqual(await readdir(path.dirname(paths.savedConfig)), ['exlb.json']);
});

test('a file with an unknown key is refused naming the file and the key', async (t) => {
	const paths = await tempPaths();
	await mkdir(path.dirname(paths.savedConfig), { recursive: true });
	await writeFile(paths.savedConfig, JSON.stringify({ ...defaultConfig(), colour: 'blue' }));
	const error = await t.throwsAsync(loadSavedConfig(paths), { instanceOf: ConfigValidationError });
	t.true(error!.message.includes(paths.savedConfig));
	t.regex(error!.message, /colour: unknown key/);
});

test('a partial file takes the defaults for missing keys', async (t) => {
	const paths = await tempPaths();
	await mkdir(path.dirname(paths.savedConfig), { recursive: true });
	await writeFile(paths.savedConfig, JSON.stringify({ network: { hostname: 'partial' }, casServers: ['10.0.0.1'] }));
	const config = await loadSavedConfig(paths);
	t.is(config!.network.hostname, 'partial');
	t.is(config!.network.address, '192.168.0.200');
	t.deepEqual(config!.casServers, ['10.0.0.1']);
});

test('broken JSON is a ConfigFileError naming the file', async (t) => {
	const paths = await tempPaths();
	await mkdir(path.dirname(paths.savedConfig), { recursive: true });
	await writeFile(paths.savedConfig, '{ "network": ');
	const error = await t.throwsAsync(loadSavedConfig(paths), { instanceOf: ConfigFileError });
	t.true(error!.message.startsWith(`${paths.savedConfig}: not valid JSON`));
	t.truthy(error!.cause);
});
