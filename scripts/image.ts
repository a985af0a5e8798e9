// make image: builds out/exlb-<version>.{ova,qcow2,vhdx}, the SBOM out/exlb-<version>.cdx.json, the signed update
// bundle out/exlb-<version>.exlbfw and out/manifest.json (see image/pipeline/build.ts). EXLB_VERSION=X.Y.Z builds
// the same tree as version X.Y.Z; EXLB_SIGNING_KEY names the bundle's signing key (else a development key).
//   --out DIR   put the artifacts and the manifest in DIR instead of out/
// On a terminal a status line shows the running pipeline steps; elsewhere only the steps' own lines print.
import path from 'node:path';
import { buildImage } from '../image/pipeline/build.js';
import { BundleKeyError } from '../services/firmware/bundle-errors.js';
import { BuildStepError, HostToolMissingError, RecipeError } from '../image/pipeline/errors.js';
import { cli } from './lib/args.js';
import { withStepProgress } from './lib/progress.js';

const options = cli('usage: node --import=tsx scripts/image.ts [--out DIR]\nBuilds the appliance image (the `make image` target).', {
	out: { type: 'string', value: 'DIR', help: 'where the .ova, .qcow2, .vhdx and manifest.json go (default out/ in the repository)' },
});

try {
	const result = await withStepProgress(() => buildImage(options.out === undefined ? {} : { outDir: path.resolve(options.out) }));
	console.log(`image: built in ${result.seconds.toFixed(1)} s`);
	for (const file of Object.values(result.files)) console.log(`  ${file}`);
} catch (error: unknown) {
	if (error instanceof BuildStepError) console.error(error.report());
	else if (error instanceof RecipeError || error instanceof HostToolMissingError || error instanceof BundleKeyError) console.error(`✗ ${error.message}`);
	else console.error(error);
	process.exitCode = 1;
}
