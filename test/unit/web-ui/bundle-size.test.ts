// The first page's script and stylesheet, as sent gzipped, stay within 80 KiB (the interface's budget; it weighed
// about 42 KiB when the budget was set): measured on the interface as built, the copies the web server sends.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import test from 'ava';
import { firstPageAssets, firstPageWeight, scriptAndStylesheetBytes } from '../../helpers/first-page-weight.js';
import { builtWebUi } from '../../helpers/web-ui-build.js';

const budgetBytes = 80 * 1024;

test('the page names all it loads before it runs: the script, every chunk the script imports (esbuild\'s metafile), the stylesheet', async (t) => {
	const { dir, build } = await builtWebUi();
	t.deepEqual((await firstPageAssets(dir)).sort(), build.firstPage.map((file) => file.slice(1)).sort());
	t.true(build.firstPage.includes(build.script) && build.firstPage.includes(build.stylesheet));
});

test('the tabs besides the dashboard and the French dictionary are chunks of their own, fetched when used', async (t) => {
	const { build } = await builtWebUi();
	const inFirstPage = new Set(Object.entries(build.metafile.outputs)
		.filter(([output]) => build.firstPage.some((file) => output.endsWith(file)))
		.flatMap(([, output]) => Object.keys(output.inputs)));
	for (const module of ['web-ui/src/pages/dashboard.ts', 'web-ui/src/pages/login.ts', 'web-ui/src/i18n/en.ts']) t.true(inFirstPage.has(module), `${module} is in the first page`);
	for (const module of ['web-ui/src/pages/config.ts', 'web-ui/src/pages/setup.ts', 'web-ui/src/pages/setup-firmware.ts', 'web-ui/src/pages/network.ts', 'web-ui/src/i18n/fr.ts']) {
		t.false(inFirstPage.has(module), `${module} is not in the first page`);
	}
});

test('the .gz copies measured are the files served, compressed', async (t) => {
	const { dir } = await builtWebUi();
	for (const file of await firstPageAssets(dir)) {
		t.true(gunzipSync(await readFile(path.join(dir, `${file}.gz`))).equals(await readFile(path.join(dir, file))), file);
	}
});

test('the first page\'s JS + CSS gzipped is at most 80 KiB', async (t) => {
	const { dir } = await builtWebUi();
	const weight = await firstPageWeight(dir);
	const gzipped = scriptAndStylesheetBytes(weight, 'gzip');
	t.log(`JS + CSS: ${(gzipped / 1024).toFixed(1)} KiB gzipped, ${(scriptAndStylesheetBytes(weight, 'brotli') / 1024).toFixed(1)} KiB brotli`);
	t.true(gzipped > 10 * 1024, `${gzipped} bytes: the whole interface was measured`);
	t.true(gzipped <= budgetBytes, `${gzipped} bytes gzipped, the budget is ${budgetBytes}`);
});
