import { readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { RecipeError } from '../../image/pipeline/errors.js';
import { imageDir, parseRecipe } from '../../image/pipeline/recipe.js';

const raw = async () => JSON.parse(await readFile(path.join(imageDir, 'recipe.json'), 'utf8')) as Record<string, any>;

test('the shipped recipe is valid and takes the version it is given', async (t) => {
	const recipe = parseRecipe(await raw(), '1.2.3');
	t.is(recipe.version, '1.2.3');
	t.is(recipe.debian.release, 'trixie');
	t.deepEqual(recipe.debian.sources.flatMap((source) => source.suites), ['trixie', 'trixie-updates', 'trixie-security']);
	t.false(recipe.packages.includes('openssh-server'), 'no SSH in the appliance');
});

test('a bad value is reported with its field path and value', async (t) => {
	const recipe = await raw();
	recipe.disk.sizesMiB.system = -5;
	const error = t.throws(() => parseRecipe(recipe, '1.0.0'), { instanceOf: RecipeError });
	t.is(error?.field, 'disk.sizesMiB.system');
	t.is(error?.value, -5);
	t.regex(error?.message ?? '', /^recipe disk\.sizesMiB\.system: -5 is invalid/);
});

test('a package name that could smuggle an option is refused', async (t) => {
	const recipe = await raw();
	recipe.packages = ['haproxy', '--allow-unauthenticated'];
	const error = t.throws(() => parseRecipe(recipe, '1.0.0'), { instanceOf: RecipeError });
	t.is(error?.field, 'packages.1');
});

test('a version that is not semver is refused', async (t) => {
	t.throws(() => parseRecipe(undefined, 'x'), { instanceOf: RecipeError });
	const recipe = await raw();
	t.throws(() => parseRecipe(recipe, 'latest'), { instanceOf: RecipeError, message: /package\.json version/ });
});

test('a release that no source serves is refused', async (t) => {
	const recipe = await raw();
	recipe.debian.release = 'forky';
	const error = t.throws(() => parseRecipe(recipe, '1.0.0'), { instanceOf: RecipeError });
	t.is(error?.field, 'debian.release');
	t.is(error?.value, 'forky');
});

test('purge names packages by their Debian names only', async (t) => {
	const recipe = await raw();
	recipe.purge = ['apt', '--force-all'];
	const error = t.throws(() => parseRecipe(recipe, '1.0.0'), { instanceOf: RecipeError });
	t.is(error?.field, 'purge.1');
});
