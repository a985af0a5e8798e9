// The built SBOM: out/exlb-<version>.cdx.json is valid CycloneDX 1.6, lists the image's Debian packages at the versions
// its dpkg database holds and the npm packages in our bundles, and is the same file the system squashfs ships.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { parseDpkgStatus, type InstalledPackage } from '../../image/pipeline/dpkg-status.js';
import { loadRecipe } from '../../image/pipeline/recipe.js';
import { cycloneDxErrors } from '../helpers/cyclonedx-schema.js';
import { partitionExtent } from '../helpers/data-partition.js';
import { artifacts, repoRoot, requireArtifact, version } from '../helpers/image-artifacts.js';

interface Component {
	name: string;
	group?: string;
	version: string;
	purl: string;
	licenses?: unknown[];
	properties?: { name: string; value: string }[];
}

let dir = '';
let systemImage = '';
let sbomText = '';
let installed: InstalledPackage[] = [];

/** A file of the built system squashfs, as bytes. */
async function fromSystem(file: string): Promise<Buffer> {
	return Buffer.from((await execa('unsquashfs', ['-cat', systemImage, file], { encoding: 'buffer', stripFinalNewline: false })).stdout);
}

test.before(async () => {
	sbomText = await readFile(requireArtifact(artifacts.sbom), 'utf8');
	// The system squashfs as it is on slot A of the published disk, not a cache copy.
	dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-sbom-'));
	const raw = path.join(dir, 'disk.raw');
	await execa('qemu-img', ['convert', '-O', 'raw', requireArtifact(artifacts.qcow2), raw]);
	const { offset, length } = await partitionExtent(raw, (await loadRecipe()).disk.partitionNames.systemA);
	systemImage = path.join(dir, 'system.squashfs');
	await execa('dd', [`if=${raw}`, `of=${systemImage}`, 'bs=1M', 'iflag=skip_bytes,count_bytes', `skip=${offset}`, `count=${length}`, 'status=none']);
	await rm(raw);
	// The image's dpkg database (its /var lives in /usr/share/factory/var).
	installed = parseDpkgStatus((await fromSystem('usr/share/factory/var/lib/dpkg/status')).toString('utf8'));
});

test.after.always(async () => {
	if (dir) await rm(dir, { recursive: true, force: true });
});

test('out/exlb-<version>.cdx.json is valid CycloneDX 1.6 for this version', async (t) => {
	t.deepEqual(await cycloneDxErrors(sbomText), []);
	const bom = JSON.parse(sbomText) as { specVersion: string; metadata: { component: { name: string; version: string } } };
	t.is(bom.specVersion, '1.6');
	t.like(bom.metadata.component, { name: 'exlb', version });
});

test('every Debian package of the image is listed at its installed version, with its source; the daemons and the kernel among them', (t) => {
	const components = (JSON.parse(sbomText) as { components: Component[] }).components;
	const debian = new Map(components.filter((component) => component.purl.startsWith('pkg:deb/debian/')).map((component) => [component.name, component]));
	t.true(installed.length > 100, `the image's dpkg database lists ${installed.length} packages`);
	t.is(debian.size, installed.length);
	for (const pkg of installed) {
		const component = debian.get(pkg.name);
		t.is(component?.version, pkg.version, pkg.name);
		t.is(component?.properties?.find((entry) => entry.name === 'exlb:debian:source')?.value, pkg.source, `${pkg.name} source`);
		t.true(component?.purl.includes(`arch=${pkg.architecture}`), `${pkg.name} purl ${component?.purl}`);
	}
	for (const name of ['haproxy', 'stunnel4', 'keepalived', 'nodejs']) t.true(debian.has(name), `${name} is listed`);
	t.true([...debian.keys()].some((name) => /^linux-image-\d/.test(name)), 'the kernel package is listed');
	const withLicense = [...debian.values()].filter((component) => (component.licenses ?? []).length > 0);
	t.true(withLicense.length > installed.length / 2, `${withLicense.length} of ${installed.length} Debian packages carry a license`);
});

test('the npm packages bundled into the agents are listed with versions and licenses', async (t) => {
	const components = (JSON.parse(sbomText) as { components: Component[] }).components;
	const npm = components.filter((component) => component.purl.startsWith('pkg:npm/'));
	const bundled = async (name: string) => (JSON.parse(await readFile(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
	t.like(npm.find((component) => component.group === '@sinclair' && component.name === 'typebox'), { version: await bundled('@sinclair/typebox'), licenses: [{ license: { id: 'MIT' } }] });
	t.like(npm.find((component) => component.name === 'execa'), { version: await bundled('execa'), licenses: [{ license: { id: 'MIT' } }] });
	t.false(npm.some((component) => component.name === 'ava' || component.name === 'esbuild'), 'build and test tools are not in the agents');
});

test('the system squashfs ships the same file at /opt/exlb/sbom.json, linked from /usr/share/exlb/sbom.json', async (t) => {
	t.true((await fromSystem('opt/exlb/sbom.json')).equals(Buffer.from(sbomText, 'utf8')));
	const { stdout } = await execa('unsquashfs', ['-lls', '-d', '', systemImage, 'usr/share/exlb/sbom.json']);
	t.regex(stdout, /^l\S+ .* \/usr\/share\/exlb\/sbom\.json -> \/opt\/exlb\/sbom\.json$/m);
});
