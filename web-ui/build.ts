// The browser interface, built for the web server to serve: one esbuild bundle of web-ui/src (Preact + htm, plain
// CSS) with content-hashed names under assets/, an index.html naming them, and a gzip and a brotli copy of each file
// (served as they are, never compressed per request). The image build puts the result in /usr/lib/exlb/web-ui; the
// tests and `scripts/build-web-ui.ts` build it into a directory given as EXLB_WEB_UI.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const uiDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(uiDir);

export class WebUiBuildError extends Error {
	override readonly name = 'WebUiBuildError';
}

export interface WebUiBuild {
	/** Paths of the page's script and stylesheet, as the page names them (/assets/main-HASH.js). */
	readonly script: string;
	readonly stylesheet: string;
	/** Every file written, relative to the output directory (compressed copies not included). */
	readonly files: readonly string[];
	/** esbuild's metafile (inputs relative to the repository): the SBOM lists the npm packages in it. */
	readonly metafile: Metafile;
}

/** Browsers an Exchange admin uses today; nothing older needs to run the interface. */
const browserTargets = ['chrome109', 'edge109', 'firefox115', 'safari15'];

const escapeAttribute = (value: string) => value.replace(/[&"<>]/g, (char) => `&#${char.charCodeAt(0)};`);

/** The page: no inline script or style (CSP default-src 'self'); the app mounts on #app. */
export function indexHtml(script: string, stylesheet: string, icon: string): string {
	return '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
		+ '<meta name="viewport" content="width=device-width, initial-scale=1">'
		+ '<title>exlb</title>'
		+ `<link rel="icon" href="${escapeAttribute(icon)}" type="image/svg+xml">`
		+ `<link rel="stylesheet" href="${escapeAttribute(stylesheet)}">`
		+ `<script type="module" src="${escapeAttribute(script)}"></script>`
		+ '</head><body><div id="app"></div>'
		// no script runs to choose the language: both, French marked as such for screen readers
		+ '<noscript><p>This interface needs JavaScript. The appliance\'s REST API is described at <a href="/api/v1/reference">/api/v1/reference</a>.'
		+ ' <span lang="fr">Cette interface a besoin de JavaScript. L\'API REST de l\'appliance est décrite sur <a href="/api/v1/reference">/api/v1/reference</a>.</span></p></noscript>'
		+ '</body></html>\n';
}

async function writeCompressed(file: string, content: Buffer): Promise<void> {
	await writeFile(`${file}.gz`, gzipSync(content, { level: 9 }));
	await writeFile(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
}

/** Builds the interface into outDir (emptied first). */
export async function buildWebUi(outDir: string): Promise<WebUiBuild> {
	await rm(outDir, { recursive: true, force: true });
	await mkdir(path.join(outDir, 'assets'), { recursive: true });
	let result;
	try {
		result = await build({
			absWorkingDir: repoRoot,
			entryPoints: [path.join(uiDir, 'src/main.ts')],
			outdir: path.join(outDir, 'assets'),
			entryNames: '[name]-[hash]',
			assetNames: '[name]-[hash]',
			publicPath: '/assets',
			bundle: true,
			format: 'esm',
			platform: 'browser',
			target: browserTargets,
			minify: true,
			metafile: true,
			legalComments: 'none',
			loader: { '.svg': 'file' },
			logLevel: 'silent',
		});
	} catch (error) {
		throw new WebUiBuildError(`esbuild could not build web-ui/src/main.ts: ${(error as Error).message}`, { cause: error });
	}
	const outputs = Object.keys(result.metafile.outputs).map((file) => path.relative(outDir, path.join(repoRoot, file)));
	const script = outputs.find((file) => file.endsWith('.js'));
	const stylesheet = outputs.find((file) => file.endsWith('.css'));
	const icon = outputs.find((file) => file.endsWith('.svg'));
	if (script === undefined || stylesheet === undefined || icon === undefined) throw new WebUiBuildError(`esbuild wrote ${outputs.join(', ')}: a script, a stylesheet and the icon were expected`);
	const page = indexHtml(`/${script}`, `/${stylesheet}`, `/${icon}`);
	await writeFile(path.join(outDir, 'index.html'), page);
	const files = ['index.html', ...outputs];
	for (const file of files) await writeCompressed(path.join(outDir, file), await readFile(path.join(outDir, file)));
	return { script: `/${script}`, stylesheet: `/${stylesheet}`, files, metafile: result.metafile };
}
