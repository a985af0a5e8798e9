// The SBOM generator on a small fixture: a root tree (dpkg status, DEP-5 and free-form copyright files, a doc dir that
// is a symlink, os-release) and npm packages as esbuild's metafile names them; the result is validated against the
// vendored CycloneDX 1.6 schema.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import type { Metafile } from 'esbuild';
import { copyrightLicenses, packageLicenses } from '../../../image/pipeline/debian-copyright.js';
import { installedPackages } from '../../../image/pipeline/dpkg-status.js';
import { SbomInputError } from '../../../image/pipeline/errors.js';
import { bundledPackageDirs, bundledPackages } from '../../../image/pipeline/npm-packages.js';
import { sbomJson, type DebianComponent, type SbomInput } from '../../../image/pipeline/sbom.js';
import { osReleaseDistro } from '../../../image/pipeline/sbom-inputs.js';
import { cycloneDxErrors } from '../../helpers/cyclonedx-schema.js';

const status = `Package: haproxy
Status: install ok installed
Architecture: amd64
Version: 3.0.11-1+deb13u1

Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc (2.41-12)
Version: 2.41-12+b1

Package: libstdc++6
Status: install ok installed
Architecture: amd64
Source: gcc-14
Version: 14.2.0-19

Package: gcc-14-base
Status: install ok installed
Architecture: amd64
Source: gcc-14
Version: 14.2.0-19

Package: removed-thing
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0
`;

const haproxyCopyright = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: haproxy

Files: *
Copyright: Willy Tarreau
License: GPL-2+

Files: include/import/*
Copyright: Various
License: LGPL-2.1
 The text of the license,
 over several lines.

Files: debian/*
License: GPL-2+

License: LGPL-2.1
 A stand-alone license paragraph: its name is already listed above.

License: Unused-Name
 Never referenced by a Files paragraph.
`;

const glibcCopyright = `Format: http://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

Files: *
License: LGPL-2.1+ with exception

Files: debian/*
License: Expat
`;

const gccCopyright = 'This is the Debian GNU/Linux prepackaged version of the GNU compiler collection.\nIt is licensed under the GPL.\n';

async function fixtureRoot(t: { teardown: (fn: () => Promise<void>) => void }): Promise<string> {
	const root = await mkdtemp(path.join(os.tmpdir(), 'exlb-sbom-root-'));
	t.teardown(() => rm(root, { recursive: true, force: true }));
	const put = async (file: string, text: string) => {
		await mkdir(path.dirname(path.join(root, file)), { recursive: true });
		await writeFile(path.join(root, file), text);
	};
	await put('var/lib/dpkg/status', status);
	await put('usr/share/doc/haproxy/copyright', haproxyCopyright);
	await put('usr/share/doc/libc6/copyright', glibcCopyright);
	await put('usr/share/doc/gcc-14-base/copyright', gccCopyright);
	// As in Debian: libstdc++6's doc dir is a link to gcc-14-base's (absolute here, so it must resolve inside the tree).
	await symlink('/usr/share/doc/gcc-14-base', path.join(root, 'usr/share/doc/libstdc++6'));
	await put('usr/lib/os-release', 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="13"\nID=debian\n');
	return root;
}

async function fixtureNodeModules(t: { teardown: (fn: () => Promise<void>) => void }): Promise<{ dir: string; metafile: Metafile }> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-sbom-npm-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	const manifests: Record<string, object> = {
		'node_modules/@sinclair/typebox': { name: '@sinclair/typebox', version: '0.34.52', license: 'MIT' },
		'node_modules/execa': { name: 'execa', version: '9.6.1', license: 'MIT' },
		'node_modules/execa/node_modules/path-key': { name: 'path-key', version: '4.0.0', license: 'MIT' },
		'node_modules/path-key': { name: 'path-key', version: '3.1.1', license: 'MIT' },
		'node_modules/dual': { name: 'dual', version: '1.0.0', license: '(MIT OR Apache-2.0)' },
		'node_modules/old-style': { name: 'old-style', version: '0.1.0', licenses: [{ type: 'ISC' }] },
		'node_modules/custom': { name: 'custom', version: '2.0.0', license: 'SEE LICENSE IN LICENSE.txt' },
	};
	for (const [packageDir, manifest] of Object.entries(manifests)) {
		await mkdir(path.join(dir, packageDir), { recursive: true });
		await writeFile(path.join(dir, packageDir, 'package.json'), JSON.stringify(manifest));
	}
	// Inputs as esbuild names them: our sources, and files deep inside packages (one with its own nested package.json).
	const inputs = [
		'services/cli/main.ts',
		'node_modules/@sinclair/typebox/build/esm/index.mjs',
		'node_modules/@sinclair/typebox/build/esm/value/index.mjs',
		'node_modules/execa/index.js',
		'node_modules/execa/lib/methods/main-async.js',
		'node_modules/execa/node_modules/path-key/index.js',
		'node_modules/path-key/index.js',
		'node_modules/dual/dist/esm/index.js',
		'node_modules/old-style/index.js',
		'node_modules/custom/lib/index.js',
	];
	const metafile = { inputs: Object.fromEntries(inputs.map((input) => [input, { bytes: 1, imports: [] }])), outputs: {} } as Metafile;
	return { dir, metafile };
}

const distro = { id: 'debian', versionId: '13' };

async function fixtureInput(t: { teardown: (fn: () => Promise<void>) => void }): Promise<SbomInput> {
	const root = await fixtureRoot(t);
	const debian: DebianComponent[] = [];
	for (const pkg of await installedPackages(root)) debian.push({ ...pkg, licenses: await packageLicenses(root, pkg.name) });
	const npm = await fixtureNodeModules(t);
	return {
		product: { name: 'exlb', version: '1.2.3', vendor: 'exlb project', license: 'GPL-2.0-or-later' },
		distro,
		epoch: 1767225600,
		debian,
		npm: await bundledPackages([npm.metafile], npm.dir),
		tool: { name: '@cyclonedx/cyclonedx-library', version: '10.3.0' },
	};
}

interface Component {
	type: string;
	name: string;
	group?: string;
	version: string;
	purl: string;
	'bom-ref': string;
	licenses?: { license?: { id?: string; name?: string }; expression?: string }[];
	properties?: { name: string; value: string }[];
}

interface Bom {
	specVersion: string;
	serialNumber: string;
	metadata: { timestamp: string; component: { name: string; version: string; licenses: unknown[] }; tools: { components: { name: string; group: string }[] } };
	components: Component[];
}

const licensesOf = (component: Component | undefined) => (component?.licenses ?? []).map((entry) => entry.license?.id ?? entry.license?.name ?? `expression:${entry.expression}`);
const property = (component: Component | undefined, name: string) => component?.properties?.find((entry) => entry.name === name)?.value;

test('DEP-5 copyright: License names of the header and Files paragraphs, once each; a free-form file states none', (t) => {
	t.deepEqual(copyrightLicenses(haproxyCopyright), ['GPL-2+', 'LGPL-2.1']);
	t.deepEqual(copyrightLicenses(glibcCopyright), ['LGPL-2.1+ with exception', 'Expat']);
	t.deepEqual(copyrightLicenses(gccCopyright), []);
	t.deepEqual(copyrightLicenses(''), []);
});

test('npm packages: one per package directory under node_modules, nested copies included, our sources not', (t) => {
	t.deepEqual(bundledPackageDirs(['services/cli/main.ts', 'node_modules/@scope/pkg/a/b.js', 'node_modules/@scope/pkg/c.js', 'node_modules/x/node_modules/y/i.js', 'node_modules/x/i.js']), [
		'node_modules/@scope/pkg',
		'node_modules/x',
		'node_modules/x/node_modules/y',
	]);
});

test('a bundled package.json without a version is an error naming the file and the field', async (t) => {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-sbom-bad-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	await mkdir(path.join(dir, 'node_modules/broken'), { recursive: true });
	await writeFile(path.join(dir, 'node_modules/broken/package.json'), JSON.stringify({ name: 'broken' }));
	const metafile = { inputs: { 'node_modules/broken/index.js': { bytes: 1, imports: [] } }, outputs: {} } as Metafile;
	const error = await t.throwsAsync(bundledPackages([metafile], dir), { instanceOf: SbomInputError });
	t.is(error?.field, 'version');
	t.true(error?.source.endsWith('node_modules/broken/package.json'));
});

test('os-release gives the purls\' distro; a missing VERSION_ID is named', (t) => {
	t.deepEqual(osReleaseDistro('ID=debian\nVERSION_ID="13"\n'), distro);
	t.throws(() => osReleaseDistro('ID=debian\n'), { instanceOf: SbomInputError, message: /VERSION_ID/ });
});

test('the SBOM is valid CycloneDX 1.6 and lists the Debian and npm packages with versions, sources, licenses and purls', async (t) => {
	const json = sbomJson(await fixtureInput(t));
	t.deepEqual(await cycloneDxErrors(json), []);
	const bom = JSON.parse(json) as Bom;
	t.is(bom.specVersion, '1.6');
	t.is(bom.metadata.timestamp, '2026-01-01T00:00:00.000Z');
	t.like(bom.metadata.component, { name: 'exlb', version: '1.2.3', licenses: [{ license: { id: 'GPL-2.0-or-later' } }] });
	t.like(bom.metadata.tools.components[0], { group: '@cyclonedx', name: 'cyclonedx-library' });
	const find = (name: string, version?: string) => bom.components.find((component) => component.name === name && (version === undefined || component.version === version));

	// Debian: the removed package is not listed; GNU short names become SPDX ids, others stay names.
	t.deepEqual(bom.components.filter((component) => component.purl.startsWith('pkg:deb/')).map((component) => component.name).sort(), ['gcc-14-base', 'haproxy', 'libc6', 'libstdc++6']);
	const haproxy = find('haproxy');
	t.like(haproxy, { type: 'library', version: '3.0.11-1+deb13u1', purl: 'pkg:deb/debian/haproxy@3.0.11-1+deb13u1?arch=amd64&distro=debian-13' });
	t.is(haproxy?.['bom-ref'], haproxy?.purl);
	t.deepEqual(licensesOf(haproxy).sort(), ['GPL-2.0-or-later', 'LGPL-2.1-only']);
	t.is(property(haproxy, 'exlb:debian:source'), 'haproxy');
	const libc = find('libc6');
	t.is(libc?.purl, 'pkg:deb/debian/libc6@2.41-12+b1?arch=amd64&distro=debian-13&upstream=glibc%402.41-12');
	t.is(property(libc, 'exlb:debian:source'), 'glibc');
	t.is(property(libc, 'exlb:debian:source-version'), '2.41-12');
	t.deepEqual(licensesOf(libc).sort(), ['LGPL-2.1+ with exception', 'MIT']);
	const libstdcxx = find('libstdc++6');
	t.is(libstdcxx?.purl, 'pkg:deb/debian/libstdc%2B%2B6@14.2.0-19?arch=amd64&distro=debian-13&upstream=gcc-14');
	t.is(property(libstdcxx, 'exlb:debian:source'), 'gcc-14');
	t.deepEqual(licensesOf(libstdcxx), [], 'its (linked) copyright file is free-form: no license');

	// npm: scopes are groups; both copies of path-key; expressions and free text kept as such.
	t.like(find('typebox'), { group: '@sinclair', version: '0.34.52', purl: 'pkg:npm/%40sinclair/typebox@0.34.52' });
	t.deepEqual(licensesOf(find('typebox')), ['MIT']);
	t.deepEqual(licensesOf(find('execa')), ['MIT']);
	t.truthy(find('path-key', '3.1.1'));
	t.truthy(find('path-key', '4.0.0'));
	t.deepEqual(licensesOf(find('dual')), ['expression:(MIT OR Apache-2.0)']);
	t.deepEqual(licensesOf(find('old-style')), ['ISC']);
	t.deepEqual(licensesOf(find('custom')), ['SEE LICENSE IN LICENSE.txt']);
	t.is(bom.components.length, 4 + 7);
});

test('the SBOM is reproducible: same input, same bytes; a changed input changes the serial number', async (t) => {
	const input = await fixtureInput(t);
	const first = sbomJson(input);
	t.is(sbomJson(input), first);
	t.regex((JSON.parse(first) as Bom).serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	const changed = sbomJson({ ...input, npm: input.npm.filter((pkg) => pkg.name !== 'custom') });
	t.not((JSON.parse(changed) as Bom).serialNumber, (JSON.parse(first) as Bom).serialNumber);
});

test('the schema check is not vacuous: an unknown SPDX id and a missing name are reported', async (t) => {
	const bom = JSON.parse(sbomJson(await fixtureInput(t))) as { components: Record<string, unknown>[] };
	bom.components[0]!.licenses = [{ license: { id: 'Not-An-SPDX-Id' } }];
	delete bom.components[1]!.name;
	const errors = await cycloneDxErrors(JSON.stringify(bom));
	t.true(errors.some((error) => error.startsWith('/components/0/licenses/0/license/id')), errors.join('\n'));
	t.true(errors.some((error) => error.startsWith('/components/1') && error.includes("'name'")), errors.join('\n'));
});
