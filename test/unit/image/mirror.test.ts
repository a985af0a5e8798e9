// The mirror snapshot behind the rootfs cache key: parsed from InRelease files a loopback server serves.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { BuildStepError } from '../../../image/pipeline/errors.js';
import { listedSha256, releaseFields, snapshotSuites, sourcesLines } from '../../../image/pipeline/mirror.js';
import { parseRecipe, type Recipe } from '../../../image/pipeline/recipe.js';
import { loadRecipe } from '../../../image/pipeline/recipe.js';

const mainIndex = 'a'.repeat(64);
const inRelease = (suite: string, date = 'Tue, 01 Dec 2026 01:33:14 UTC') => [
	'-----BEGIN PGP SIGNED MESSAGE-----',
	'Hash: SHA256',
	'',
	'Origin: Debian',
	`Suite: ${suite}`,
	`Codename: ${suite.replace(/-.*/, '')}`,
	`Date: ${date}`,
	'SHA256:',
	` ${'b'.repeat(64)}  1108 main/binary-amd64/Packages.xz`,
	` ${mainIndex}  2351 main/binary-amd64/Packages`,
	` ${'c'.repeat(64)}  99 contrib/binary-amd64/Packages`,
	'-----BEGIN PGP SIGNATURE-----',
	'',
].join('\n');

async function serve(files: Record<string, string>): Promise<{ url: string; server: Server }> {
	const server = createServer((request, response) => {
		const body = files[request.url ?? ''];
		response.writeHead(body === undefined ? 404 : 200).end(body ?? 'not found');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/debian`, server };
}

async function recipeFor(mirror: string, suites: string[]): Promise<Recipe> {
	const shipped = await loadRecipe();
	return parseRecipe({ ...shipped, debian: { ...shipped.debian, release: suites[0], sources: [{ mirror, suites }] } }, shipped.version);
}

test('releaseFields reads the first paragraph; listedSha256 finds a file in the SHA256 list', (t) => {
	const text = inRelease('trixie-security');
	t.is(releaseFields(text.replace(/^-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n/, '')).get('Suite'), 'trixie-security');
	t.is(listedSha256(text, 'main/binary-amd64/Packages'), mainIndex);
	t.is(listedSha256(text, 'non-free/binary-amd64/Packages'), undefined);
});

test('sourcesLines gives one deb line per suite, each with its own mirror path', async (t) => {
	const recipe = await loadRecipe();
	t.deepEqual(sourcesLines(recipe), [
		'deb http://deb.debian.org/debian trixie main',
		'deb http://deb.debian.org/debian trixie-updates main',
		'deb http://deb.debian.org/debian-security trixie-security main',
	]);
});

test('a snapshot holds each suite date and package-index hash', async (t) => {
	const { url, server } = await serve({ '/debian/dists/trixie/InRelease': inRelease('trixie', 'Sat, 21 Nov 2026 09:15:44 UTC') });
	t.teardown(() => server.close());
	const [suite] = await snapshotSuites(await recipeFor(url, ['trixie']));
	t.like(suite, { mirror: url, suite: 'trixie', date: '2026-11-21T09:15:44.000Z', packageIndices: { main: mainIndex } });
	t.regex(suite?.sha256 ?? '', /^[0-9a-f]{64}$/);
});

test('a suite the mirror does not serve stops the build naming the suite and the mirror', async (t) => {
	const { url, server } = await serve({ '/debian/dists/trixie/InRelease': inRelease('trixie') });
	t.teardown(() => server.close());
	const error = await t.throwsAsync(snapshotSuites(await recipeFor(url, ['trixie', 'trixie-backports'])), { instanceOf: BuildStepError });
	t.is(error?.step, 'rootfs');
	t.regex(error?.outputTail ?? '', /HTTP 404 .*suite "trixie-backports" is missing from http:\/\/127\.0\.0\.1/);
	t.regex(error?.hint ?? '', /trixie-backports/);
});

test('a mirror that does not answer stops the build naming the suite and the mirror', async (t) => {
	const { url, server } = await serve({});
	await new Promise((resolve) => server.close(resolve)); // nothing listens on that port any more
	const error = await t.throwsAsync(snapshotSuites(await recipeFor(url, ['trixie'])), { instanceOf: BuildStepError });
	t.is(error?.command, `GET ${url}/dists/trixie/InRelease`);
	t.regex(error?.hint ?? '', new RegExp(`suite "trixie" from ${url.replaceAll('.', '\\.')}`));
});

test('an InRelease for another suite is refused', async (t) => {
	const { url, server } = await serve({ '/debian/dists/trixie/InRelease': inRelease('bookworm') });
	t.teardown(() => server.close());
	const error = await t.throwsAsync(snapshotSuites(await recipeFor(url, ['trixie'])), { instanceOf: BuildStepError });
	t.regex(error?.outputTail ?? '', /names suite "bookworm"/);
});
