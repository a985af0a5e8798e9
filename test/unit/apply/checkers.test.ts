// The haproxy checker (`haproxy -c`, no daemon started): a refused line is mapped back to its config field.
import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderAll, localRenderEnv } from '../../../services/render/index.js';
import { offloadConfig } from '../../helpers/offload-config.js';
import { checkHaproxy } from '../../../services/apply/checkers.js';
import { formatProblem } from '../../../services/apply/errors.js';

const dir = await mkdtemp(path.join(tmpdir(), 'exlb-checkers-'));
const env = localRenderEnv(dir);

test('haproxy: a refused line is reported with its number, text and config field', async (t) => {
	const files = renderAll(offloadConfig(), env);
	const lines = files['haproxy.cfg'].split('\n');
	const index = lines.findIndex((line) => line.includes('timeout server 25s'));
	lines[index] = lines[index]!.replace('25s', '25q');
	const file = path.join(dir, 'bad-haproxy.cfg');
	await writeFile(file, lines.join('\n'));
	const [problem] = await checkHaproxy(file, { lineFields: files.lineFields['haproxy.cfg'] });
	t.like(problem, { daemon: 'haproxy', line: index + 1, field: 'http.timeout', text: '    timeout server 25q' });
	t.regex(formatProblem(problem!), /^http\.timeout: haproxy refused bad-haproxy\.cfg line \d+: unexpected character 'q'/);
	const good = path.join(dir, 'haproxy.cfg');
	await writeFile(good, files['haproxy.cfg']);
	t.deepEqual(await checkHaproxy(good), []);
});
