// The first page's script and stylesheet, as sent gzipped, stay within 80 KiB (the interface's budget; it weighed
// about 42 KiB when the budget was set): measured on the interface as built, the copies the web server sends.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import test from 'ava';
import { firstPageAssets, firstPageWeight, scriptAndStylesheetBytes } from '../../helpers/first-page-weight.js';
import { builtWebUi } from '../../helpers/web-ui-build.js';

const budgetBytes = 80 * 1024;

test('the first page loads the built script and stylesheet, and nothing else', async (t) => {
	const { dir, build } = await builtWebUi();
	t.deepEqual((await firstPageAssets(dir)).sort(), [build.script, build.stylesheet].map((file) => file.slice(1)).sort());
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
