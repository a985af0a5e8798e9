// What the Debian mirror serves right now: each suite's InRelease file, fetched at the start of a build.
// The hashes it lists for our components' package indices go into the rootfs cache key, so a published
// (security) update rebuilds the root file system, while a mirror push that changed no package (a new
// Date/Valid-Until, several times a day) does not.
import { deb822Paragraphs } from './deb822.js';
import { BuildStepError } from './errors.js';
import { sha256 } from './cache.js';
import type { Recipe } from './recipe.js';

export interface SuiteSnapshot {
	readonly mirror: string;
	readonly suite: string;
	/** The InRelease "Date:" field, as ISO 8601. */
	readonly date: string;
	/** SHA-256 of the InRelease file itself. */
	readonly sha256: string;
	/** SHA-256 of each component's amd64 package index ("main/binary-amd64/Packages"), as InRelease lists it. */
	readonly packageIndices: Readonly<Record<string, string>>;
}

const fetchTimeoutMs = 30_000;

/** The "Field: value" lines of a Release file's first paragraph. */
export function releaseFields(text: string): Map<string, string> {
	return deb822Paragraphs(text)[0] ?? new Map();
}

/** The SHA256 entry InRelease lists for a file ("<hash> <size> <path>" lines under "SHA256:"). */
export function listedSha256(text: string, file: string): string | undefined {
	const section = /^SHA256:\n((?: .*\n?)*)/m.exec(text)?.[1] ?? '';
	for (const line of section.split('\n')) {
		const [hash, , name] = line.trim().split(/\s+/);
		if (name === file) return hash;
	}
	return undefined;
}

/** The sources.list lines mmdebstrap gets: one per suite, each with its own mirror path. */
export function sourcesLines(recipe: Recipe): string[] {
	const components = recipe.debian.components.join(' ');
	return recipe.debian.sources.flatMap((source) => source.suites.map((suite) => `deb ${source.mirror} ${suite} ${components}`));
}

async function fetchInRelease(mirror: string, suite: string, components: readonly string[]): Promise<SuiteSnapshot> {
	const url = `${mirror}/dists/${suite}/InRelease`;
	const hint = `the build needs suite "${suite}" from ${mirror} (recipe debian.sources): check that the mirror is reachable from this machine and serves that suite`;
	let response: Response;
	try {
		response = await fetch(url, { signal: AbortSignal.timeout(fetchTimeoutMs) });
	} catch (error: unknown) {
		const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${fetchTimeoutMs / 1000} s` : String((error as { cause?: Error }).cause?.message ?? (error as Error).message);
		throw new BuildStepError('rootfs', `GET ${url}`, reason, hint, { cause: error });
	}
	if (!response.ok) throw new BuildStepError('rootfs', `GET ${url}`, `HTTP ${response.status} ${response.statusText}: suite "${suite}" is missing from ${mirror}`, hint);
	const text = await response.text();
	const fields = releaseFields(text.replace(/^-----BEGIN PGP SIGNED MESSAGE-----\n(Hash: .*\n)*\n/, ''));
	const named = [fields.get('Suite'), fields.get('Codename')];
	if (!named.includes(suite)) throw new BuildStepError('rootfs', `GET ${url}`, `the file names suite ${JSON.stringify(fields.get('Suite'))} / codename ${JSON.stringify(fields.get('Codename'))}, not "${suite}"`, hint);
	const date = new Date(fields.get('Date') ?? '');
	if (Number.isNaN(date.getTime())) throw new BuildStepError('rootfs', `GET ${url}`, `no valid Date field: ${JSON.stringify(fields.get('Date'))}`, hint);
	const packageIndices: Record<string, string> = {};
	for (const component of components) {
		const index = `${component}/binary-amd64/Packages`;
		const hash = listedSha256(text, index);
		if (hash === undefined) throw new BuildStepError('rootfs', `GET ${url}`, `InRelease lists no ${index}: suite "${suite}" has no component "${component}" for amd64`, hint);
		packageIndices[component] = hash;
	}
	return { mirror, suite, date: date.toISOString(), sha256: sha256(text), packageIndices };
}

/** Fetches every suite's InRelease (in parallel); the first failure names its suite and mirror. */
export async function snapshotSuites(recipe: Recipe): Promise<SuiteSnapshot[]> {
	return Promise.all(recipe.debian.sources.flatMap((source) => source.suites.map((suite) => fetchInRelease(source.mirror, suite, recipe.debian.components))));
}
