// Our TypeScript agents, bundled with esbuild for the appliance's Debian nodejs 20 runtime (trixie), and the
// browser interface the web server serves (web-ui/build.ts: content-hashed, precompressed).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { buildWebUi } from '../../web-ui/build.js';
import { BuildStepError } from './errors.js';
import { repoRoot } from './recipe.js';

export interface Bundle {
	/** Entry point, relative to the repository. */
	entry: string;
	/** File name under /usr/lib/exlb (a link to /opt/exlb, see appliance.ts). */
	output: string;
}

/** The Node.js major version of the image's Debian nodejs package (test/image checks it against the manifest). */
export const applianceNodeMajor = 20;

export const bundles: readonly Bundle[] = [
	{ entry: 'firstboot/main.ts', output: 'console.mjs' },
	{ entry: 'services/cli/main.ts', output: 'exlb.mjs' },
	{ entry: 'services/boot/main.ts', output: 'exlb-boot.mjs' },
	{ entry: 'services/engine/main.ts', output: 'exlb-engine.mjs' },
	{ entry: 'services/web/main.ts', output: 'exlb-web.mjs' },
];

/** The browser interface's directory beside the bundles (/usr/lib/exlb/web-ui links to it: EXLB_WEB_UI's default). */
export const webUiOutput = 'web-ui';

// CommonJS dependencies inside an ESM bundle still call require() for node built-ins.
const requireShim = "import { createRequire as __exlbCreateRequire } from 'node:module'; const require = __exlbCreateRequire(import.meta.url);";

/** EXLB_BUILD_SALT (used by scripts/bench-build.ts) changes the bundles' bytes the way a code change would. */
function bannerText(): string {
	const salt = process.env.EXLB_BUILD_SALT;
	return salt ? `${requireShim}\n// build-salt: ${salt.replace(/[^\w.-]/g, '')}` : requireShim;
}

/** Bundles every entry and the browser interface into outDir; returns esbuild's metafile of each (inputs relative to the repository, for the SBOM). */
export async function bundleAgents(outDir: string): Promise<Metafile[]> {
	await mkdir(outDir, { recursive: true });
	const metafiles: Metafile[] = [];
	for (const bundle of bundles) {
		try {
			const result = await build({
				absWorkingDir: repoRoot,
				metafile: true,
				entryPoints: [path.join(repoRoot, bundle.entry)],
				outfile: path.join(outDir, bundle.output),
				bundle: true,
				platform: 'node',
				target: `node${applianceNodeMajor}`,
				format: 'esm',
				banner: { js: bannerText() },
				legalComments: 'inline',
				// Less to parse at every start (node under an emulated CPU); names are kept for readable stack traces.
				minifyWhitespace: true,
				minifySyntax: true,
				logLevel: 'silent',
			});
			metafiles.push(result.metafile);
		} catch (error: unknown) {
			throw new BuildStepError('appliance', `esbuild ${bundle.entry}`, (error as Error).message, `fix the TypeScript error in ${bundle.entry}; "npx tsc --noEmit -p ." shows it too`, { cause: error });
		}
	}
	try {
		metafiles.push((await buildWebUi(path.join(outDir, webUiOutput))).metafile);
	} catch (error: unknown) {
		throw new BuildStepError('appliance', 'esbuild web-ui/src/main.ts', (error as Error).message, 'fix the error in web-ui/src; "npx tsc --noEmit -p ." shows type errors too', { cause: error });
	}
	return metafiles;
}
