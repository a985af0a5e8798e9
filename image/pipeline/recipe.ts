// Loads image/recipe.json, checks every field against one schema and adds the version: EXLB_VERSION from the
// environment when set (the same tree built as another version: update tests N → N+1), else package.json's.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { isSemanticVersion } from '../../services/firmware/bundle-version.js';
import { RecipeError } from './errors.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const imageDir = path.join(repoRoot, 'image');

const Name = Type.String({ pattern: '^[a-z0-9][a-z0-9+._-]*$' });
const MiB = Type.Integer({ minimum: 1, maximum: 65536 });

const RecipeSchema = Type.Object({
	$comment: Type.Optional(Type.String()),
	product: Name,
	vendor: Type.String({ minLength: 1 }),
	debian: Type.Object({
		release: Name,
		sources: Type.Array(
			Type.Object({ mirror: Type.String({ pattern: '^https?://[^\\s]+[^/\\s]$' }), suites: Type.Array(Name, { minItems: 1, uniqueItems: true }) }, { additionalProperties: false }),
			{ minItems: 1 },
		),
		components: Type.Array(Name, { minItems: 1 }),
		variant: Type.Union([Type.Literal('minbase'), Type.Literal('essential'), Type.Literal('required')]),
		sourceDateEpoch: Type.Integer({ minimum: 0 }),
	}),
	packages: Type.Array(Name, { minItems: 1, uniqueItems: true }),
	purge: Type.Array(Name, { uniqueItems: true }),
	kernelModules: Type.Array(Type.String({ pattern: '^[a-z0-9_-]+$' }), { uniqueItems: true }),
	initramfsModules: Type.Array(Type.String({ pattern: '^[a-z0-9_-]+$' }), { uniqueItems: true }),
	trim: Type.Array(Type.String({ pattern: '^!?/[^\\s]+$' })),
	kernelCmdline: Type.String({ pattern: '^[^\\n"$;`\\\\]*$' }),
	bootMenuTimeoutSeconds: Type.Integer({ minimum: 0, maximum: 60 }),
	disk: Type.Object({
		sizesMiB: Type.Object({ biosBoot: MiB, esp: Type.Integer({ minimum: 33, maximum: 1024 }), system: MiB, data: Type.Integer({ minimum: 16, maximum: 65536 }) }),
		partitionNames: Type.Object({ biosBoot: Type.String(), esp: Type.String(), systemA: Type.String(), systemB: Type.String(), data: Type.String() }),
		dataLabel: Type.String({ pattern: '^[A-Z0-9_-]{1,16}$' }),
		squashfsCompression: Type.Union([Type.Literal('xz'), Type.Literal('gzip'), Type.Literal('lzo')]),
		squashfsBlockKiB: Type.Union([4, 8, 16, 32, 64, 128, 256, 512, 1024].map((size) => Type.Literal(size))),
	}),
	units: Type.Array(Type.String({ pattern: '^[A-Za-z0-9@._-]+\\.(service|timer|socket|mount|target)$' })),
	maskedUnits: Type.Array(Type.String({ pattern: '^[A-Za-z0-9@._-]+\\.(service|timer|socket|mount|target)$' })),
	ova: Type.Object({
		virtualSystemType: Type.String({ pattern: '^vmx-1[34]$' }),
		cpus: Type.Integer({ minimum: 1, maximum: 64 }),
		memoryMiB: Type.Integer({ minimum: 512, maximum: 65536 }),
		scsiController: Type.Union([Type.Literal('lsilogic'), Type.Literal('VirtualSCSI')]),
		nic: Type.Union([Type.Literal('VmxNet3'), Type.Literal('E1000')]),
		osType: Type.Object({ id: Type.Integer(), vmw: Type.String(), description: Type.String() }),
	}),
});

export type Recipe = Static<typeof RecipeSchema> & { version: string };

/** Checks a parsed recipe; the first problem becomes a RecipeError naming the field and its value. */
export function parseRecipe(raw: unknown, version: string, versionSource = 'package.json version'): Recipe {
	const first = Value.Errors(RecipeSchema, raw).First();
	if (first !== undefined) {
		const field = first.path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
		throw new RecipeError(field, first.value, `is invalid: ${first.message}`);
	}
	const { debian } = raw as Static<typeof RecipeSchema>;
	if (!debian.sources.some((source) => source.suites.includes(debian.release))) {
		throw new RecipeError('debian.release', debian.release, 'is not among the suites of debian.sources');
	}
	// The same check the appliance applies to an update bundle's version (semver.org).
	if (!isSemanticVersion(version)) throw new RecipeError(versionSource, version, 'is not a semantic version');
	return { ...(raw as Static<typeof RecipeSchema>), version };
}

/** The image's version and where it came from: EXLB_VERSION when set and not empty, else package.json's. */
export async function imageVersion(env: NodeJS.ProcessEnv = process.env): Promise<{ version: string; source: string }> {
	if (env.EXLB_VERSION) return { version: env.EXLB_VERSION, source: 'EXLB_VERSION (environment)' };
	const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
	return { version: pkg.version, source: 'package.json version' };
}

export async function loadRecipe(file = path.join(imageDir, 'recipe.json')): Promise<Recipe> {
	const { version, source } = await imageVersion();
	let raw: unknown;
	try {
		raw = JSON.parse(await readFile(file, 'utf8'));
	} catch (error: unknown) {
		throw new RecipeError(path.relative(repoRoot, file), '(file)', `cannot be read as JSON: ${(error as Error).message}`);
	}
	return parseRecipe(raw, version, source);
}

/** The build's timestamp: SOURCE_DATE_EPOCH from the environment, else the recipe's. */
export function sourceDateEpoch(recipe: Recipe): number {
	const fromEnv = process.env.SOURCE_DATE_EPOCH;
	if (fromEnv === undefined || fromEnv === '') return recipe.debian.sourceDateEpoch;
	if (!/^\d+$/.test(fromEnv)) throw new RecipeError('SOURCE_DATE_EPOCH (environment)', fromEnv, 'is not a number of seconds');
	return Number(fromEnv);
}
