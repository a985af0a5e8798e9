// What the first page costs the browser: index.html and the script and stylesheet it names, each as built and as the
// web server sends it (the precompressed .gz and .br copies the build writes beside each file). Shared by the bundle
// size test and scripts/bench-web-ui.ts.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface FileWeight {
	readonly raw: number;
	readonly gzip: number;
	readonly brotli: number;
}

/** The assets index.html loads (its script src and stylesheet href), relative to the built directory. */
export async function firstPageAssets(uiDir: string): Promise<string[]> {
	const page = await readFile(path.join(uiDir, 'index.html'), 'utf8');
	return [...page.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1]!);
}

/** Each file of the first page (index.html first) with its sizes in bytes. */
export async function firstPageWeight(uiDir: string): Promise<Record<string, FileWeight>> {
	const weights: Record<string, FileWeight> = {};
	for (const file of ['index.html', ...await firstPageAssets(uiDir)]) {
		const size = async (suffix: string) => (await stat(path.join(uiDir, `${file}${suffix}`))).size;
		weights[file] = { raw: await size(''), gzip: await size('.gz'), brotli: await size('.br') };
	}
	return weights;
}

/** The script and stylesheet together (index.html left out), in one encoding. */
export function scriptAndStylesheetBytes(weight: Readonly<Record<string, FileWeight>>, encoding: 'gzip' | 'brotli'): number {
	return Object.entries(weight).filter(([file]) => /\.(?:js|css)$/.test(file)).reduce((sum, [, sizes]) => sum + sizes[encoding], 0);
}
