// The boot-time half of "erase everything": the image's unit waits for the marker the engine writes (the same path),
// and its script empties the data partition (lost+found stays), or leaves it alone without the marker.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { execa } from 'execa';
import { appliancePaths } from '../../services/paths.js';

const overlay = fileURLToPath(new URL('../../image/overlay/', import.meta.url));
const script = path.join(overlay, 'usr/lib/exlb/erase-data');

async function dataPartition(withMarker: boolean): Promise<string> {
	const data = await mkdtemp(path.join(tmpdir(), 'exlb-data-'));
	await mkdir(path.join(data, 'config/history'), { recursive: true });
	await mkdir(path.join(data, 'lost+found'));
	await writeFile(path.join(data, 'config/exlb.json'), '{}');
	await writeFile(path.join(data, 'machine-id'), '0123456789abcdef0123456789abcdef\n');
	await writeFile(path.join(data, '.hidden'), 'x');
	if (withMarker) await writeFile(path.join(data, '.exlb-erase'), '{}');
	return data;
}

test('the unit runs the script on /data when the engine\'s marker is there, before the machine id and the services', async (t) => {
	const unit = await readFile(path.join(overlay, 'usr/lib/systemd/system/exlb-erase-data.service'), 'utf8');
	t.regex(unit, new RegExp(`^ConditionPathExists=${appliancePaths('/').eraseMarker.replaceAll('.', '\\.')}$`, 'm'));
	t.regex(unit, /^ExecStart=\/usr\/lib\/exlb\/erase-data \/data$/m);
	t.regex(unit, /^Before=.*exlb-machine-id\.service.*exlb-engine\.service/m);
	const recipe = JSON.parse(await readFile(fileURLToPath(new URL('../../image/recipe.json', import.meta.url)), 'utf8'));
	t.true(recipe.units.includes('exlb-erase-data.service'), 'enabled in the image');
});

test('with the marker everything on the partition goes, the marker last; lost+found stays', async (t) => {
	const data = await dataPartition(true);
	const result = await execa(script, [data]);
	t.regex(result.stderr, /everything on .* was erased/);
	t.deepEqual(await readdir(data), ['lost+found']);
});

test('without the marker nothing is touched', async (t) => {
	const data = await dataPartition(false);
	await execa(script, [data]);
	t.deepEqual((await readdir(data)).sort(), ['.hidden', 'config', 'lost+found', 'machine-id']);
});
