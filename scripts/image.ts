// make image: builds out/exlb-<version>.{ova,qcow2,vhdx}, the SBOM out/exlb-<version>.cdx.json and out/manifest.json (see image/pipeline/build.ts).
import { buildImage } from '../image/pipeline/build.js';
import { BuildStepError, HostToolMissingError, RecipeError } from '../image/pipeline/errors.js';

try {
	const result = await buildImage();
	console.log(`image: built in ${result.seconds.toFixed(1)} s`);
	for (const file of Object.values(result.files)) console.log(`  ${file}`);
} catch (error: unknown) {
	if (error instanceof BuildStepError) console.error(error.report());
	else if (error instanceof RecipeError || error instanceof HostToolMissingError) console.error(`✗ ${error.message}`);
	else console.error(error);
	process.exitCode = 1;
}
