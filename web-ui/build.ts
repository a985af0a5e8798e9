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
const mainModule = path.join(uiDir, 'src/main.ts');

export class WebUiBuildError extends Error {
	override readonly name = 'WebUiBuildError';
}

export interface WebUiBuild {
	/** Paths of the page's script and stylesheet, as the page names them (/assets/main-HASH.js). */
	readonly script: string;
	readonly stylesheet: string;
	/** What the first page loads before it runs: the script, the chunks it imports (named in the page as modulepreload), the stylesheet. */
	readonly firstPage: readonly string[];
	/** Every file written, relative to the output directory (compressed copies not included). */
	readonly files: readonly string[];
	/** esbuild's metafile (inputs relative to the repository): the SBOM lists the npm packages in it. */
	readonly metafile: Metafile;
}

/** Browsers an Exchange admin uses today; nothing older needs to run the interface. */
const browserTargets = ['chrome109', 'edge109', 'firefox115', 'safari15'];

const escapeAttribute = (value: string) => value.replace(/[&"<>]/g, (char) => `&#${char.charCodeAt(0)};`);

/** The page: no inline script or style (CSP default-src 'self'); the app mounts on #app. The chunks the script imports are preloaded beside it (no round trip after it). */
export function indexHtml(script: string, stylesheet: string, icon: string, chunks: readonly string[] = []): string {
	return '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
		+ '<meta name="viewport" content="width=device-width, initial-scale=1">'
		+ '<title>exlb</title>'
		+ `<link rel="icon" href="${escapeAttribute(icon)}" type="image/svg+xml">`
		+ `<link rel="stylesheet" href="${escapeAttribute(stylesheet)}">`
		+ `<script type="module" src="${escapeAttribute(script)}"></script>`
		+ chunks.map((chunk) => `<link rel="modulepreload" href="${escapeAttribute(chunk)}">`).join('')
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

/** The chunks `entry` imports statically, directly or through another chunk: the first page needs them all before it runs. */
function staticChunks(metafile: Metafile, entry: string): string[] {
	const found = new Set<string>();
	const visit = (output: string) => {
		for (const imported of metafile.outputs[output]?.imports ?? []) {
			if (imported.kind !== 'import-statement' || imported.external || found.has(imported.path)) continue;
			found.add(imported.path);
			visit(imported.path);
		}
	};
	visit(entry);
	return [...found];
}

/** Builds the interface into outDir (emptied first). */
export async function buildWebUi(outDir: string): Promise<WebUiBuild> {
	await rm(outDir, { recursive: true, force: true });
	await mkdir(path.join(outDir, 'assets'), { recursive: true });
	let result;
	try {
		result = await build({
			absWorkingDir: repoRoot,
			entryPoints: [mainModule],
			outdir: path.join(outDir, 'assets'),
			entryNames: '[name]-[hash]',
			chunkNames: 'chunk-[hash]',
			assetNames: '[name]-[hash]',
			// the tabs other than the dashboard and the French dictionary are fetched when used (import())
			splitting: true,
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
	const relative = (file: string) => path.relative(outDir, path.join(repoRoot, file));
	const outputs = Object.keys(result.metafile.outputs).map(relative);
	// (each chunk a page is fetched from names its module as entryPoint too)
	const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint === path.relative(repoRoot, mainModule));
	const icon = outputs.find((file) => file.endsWith('.svg'));
	if (entry === undefined || entry[1].cssBundle === undefined || icon === undefined) throw new WebUiBuildError(`esbuild wrote ${outputs.join(', ')}: a script, a stylesheet and the icon were expected`);
	const script = relative(entry[0]);
	const stylesheet = relative(entry[1].cssBundle);
	const chunks = staticChunks(result.metafile, entry[0]).map(relative);
	await writeFile(path.join(outDir, 'index.html'), indexHtml(`/${script}`, `/${stylesheet}`, `/${icon}`, chunks.map((chunk) => `/${chunk}`)));
	const files = ['index.html', ...outputs];
	for (const file of files) await writeCompressed(path.join(outDir, file), await readFile(path.join(outDir, file)));
	return { script: `/${script}`, stylesheet: `/${stylesheet}`, firstPage: [script, ...chunks, stylesheet].map((file) => `/${file}`), files, metafile: result.metafile };
}
