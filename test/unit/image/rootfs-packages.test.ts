// What the build reads from a root file system: the dpkg database, the manifest's key versions, and the
// error for a package the mirror does not have.
import test from 'ava';
import { parseDpkgStatus } from '../../../image/pipeline/dpkg-status.js';
import { BuildStepError } from '../../../image/pipeline/errors.js';
import { keyPackageVersions, keyPackages } from '../../../image/pipeline/manifest.js';
import { loadRecipe } from '../../../image/pipeline/recipe.js';
import { missingPackage } from '../../../image/pipeline/rootfs.js';

const paragraph = (name: string, version: string, extra = '', status = 'install ok installed') =>
	`Package: ${name}\nStatus: ${status}\nPriority: optional\nArchitecture: amd64\n${extra}Version: ${version}\nDescription: x\n multi-line\n`;

test('parseDpkgStatus keeps installed packages with their source package and version', (t) => {
	const text = [
		paragraph('libc6', '2.41-12+deb13u5', 'Source: glibc\n'),
		paragraph('libssl3t64', '3.5.4-1~deb13u2', 'Source: openssl (3.5.4-1~deb13u2)\n'),
		paragraph('stunnel4', '3:5.74-2', 'Source: stunnel4 (3:5.74-2)\n'),
		paragraph('apt', '3.0.4', '', 'deinstall ok config-files'),
		paragraph('haproxy', '3.0.11-1+deb13u5'),
	].join('\n');
	t.deepEqual(parseDpkgStatus(text), [
		{ name: 'haproxy', version: '3.0.11-1+deb13u5', architecture: 'amd64', source: 'haproxy', sourceVersion: '3.0.11-1+deb13u5' },
		{ name: 'libc6', version: '2.41-12+deb13u5', architecture: 'amd64', source: 'glibc', sourceVersion: '2.41-12+deb13u5' },
		{ name: 'libssl3t64', version: '3.5.4-1~deb13u2', architecture: 'amd64', source: 'openssl', sourceVersion: '3.5.4-1~deb13u2' },
		{ name: 'stunnel4', version: '3:5.74-2', architecture: 'amd64', source: 'stunnel4', sourceVersion: '3:5.74-2' },
	]);
});

test('keyPackageVersions names the kernel package and every key package, or the one that is missing', (t) => {
	const installed = parseDpkgStatus([...keyPackages.map((name) => paragraph(name, `1.${name.length}`)), paragraph('linux-image-6.12.118+deb13-amd64', '6.12.118-1')].join('\n'));
	const versions = keyPackageVersions(installed);
	t.deepEqual(versions.kernel, { package: 'linux-image-6.12.118+deb13-amd64', version: '6.12.118-1' });
	t.is(versions.packages.haproxy, '1.7');
	t.throws(() => keyPackageVersions(installed.filter((pkg) => pkg.name !== 'keepalived')), { message: /"keepalived" is not installed/ });
	t.throws(() => keyPackageVersions(installed.filter((pkg) => !pkg.name.startsWith('linux-image'))), { message: /found none/ });
});

test('apt\'s "Unable to locate package" becomes a hint naming the package and the suites', async (t) => {
	const recipe = await loadRecipe();
	const original = new BuildStepError('rootfs', 'mmdebstrap …', 'E: Unable to locate package haproxy3\nE: mmdebstrap failed to run', 'generic hint');
	const explained = missingPackage(original, recipe);
	t.regex(explained.hint, /^package "haproxy3" \(recipe "packages"\) does not exist in trixie, trixie-updates from http:\/\/deb\.debian\.org\/debian; trixie-security from/);
	t.is(explained.cause, original);
	t.is(missingPackage(new BuildStepError('rootfs', 'x', 'disk full', 'h'), recipe).hint, 'h');
});
