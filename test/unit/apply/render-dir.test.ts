import test from 'ava';
import { mkdtemp, mkdir, readFile, readlink, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { swapRenderDir, writeCandidate, readRendered, daemonConfigPath, syncStableCopy } from '../../../services/apply/render-dir.js';
import { defaultConfig } from '../../../services/config/schema.js';
import { renderAll, localRenderEnv } from '../../../services/render/index.js';

test('candidates are swapped in with one rename; a plain directory from before is moved aside once', async (t) => {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-rd-'));
	const renderDir = path.join(dir, 'rendered');
	await mkdir(renderDir);
	await writeFile(path.join(renderDir, 'haproxy.cfg'), 'old');
	const config = defaultConfig();
	config.http.mode = 'ssl-offload';
	const files = renderAll(config, localRenderEnv(dir));
	const first = await writeCandidate(renderDir, files);
	const legacy = await swapRenderDir(renderDir, first);
	t.regex(legacy!, /rendered\.legacy-/);
	t.is(await readFile(path.join(legacy!, 'haproxy.cfg'), 'utf8'), 'old');
	t.is(await readlink(renderDir), path.basename(first));
	const texts = await readRendered(renderDir);
	t.is(texts.haproxy, files['haproxy.cfg']);
	t.is(texts['stunnel-https'], files.stunnel['stunnel-https.conf'] ?? 'missing');
	t.is(texts['stunnel-imaps'], null);
	const second = await writeCandidate(renderDir, files);
	t.is(await swapRenderDir(renderDir, second), first);
	t.is(await readlink(renderDir), path.basename(second));
	t.false((await readdir(dir)).some((name) => name.includes('.swap-')), 'no temporary link left');
});

test('stunnel runs on a stable copy beside the render dir, refreshed from it', async (t) => {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-rd-'));
	const renderDir = path.join(dir, 'rendered');
	const config = defaultConfig();
	config.http.mode = 'ssl-offload';
	await swapRenderDir(renderDir, await writeCandidate(renderDir, renderAll(config, localRenderEnv(dir))));
	t.is(daemonConfigPath(renderDir, 'stunnel-https'), path.join(dir, 'stunnel-https.conf'));
	t.is(daemonConfigPath(renderDir, 'haproxy'), path.join(renderDir, 'haproxy.cfg'));
	await syncStableCopy(renderDir, 'stunnel-https');
	t.is(await readFile(path.join(dir, 'stunnel-https.conf'), 'utf8'), await readFile(path.join(renderDir, 'stunnel-https.conf'), 'utf8'));
});
