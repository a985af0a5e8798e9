// The daemons every test runs are the image's, at the versions out/manifest.json records: a drift between
// what the tests prove and what the appliance ships fails here, naming both versions.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import type { Manifest } from '../../image/pipeline/manifest.js';
import { artifacts, requireArtifact } from '../helpers/image-artifacts.js';
import { shippedDaemonDir, shippedDaemons } from '../helpers/shipped-daemons.js';

const manifest = async () => JSON.parse(await readFile(requireArtifact(artifacts.manifest), 'utf8')) as Manifest;

/** What each daemon says its version is, as the upstream part of a Debian version ("1:2.3.3-1" → "2.3.3"). */
const versionProbes = {
	haproxy: { args: ['-v'], pattern: /^HAProxy version (\S+)/m },
	stunnel: { args: ['-version'], pattern: /^stunnel (\S+) on /m },
	keepalived: { args: ['--version'], pattern: /^Keepalived v(\S+)/m },
} as const;

function upstreamVersion(debianVersion: string): string {
	return debianVersion.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}

for (const { command, debianPackage } of shippedDaemons) {
	test(`"${command}" on the tests' PATH is the image's, at the manifest's ${debianPackage} version`, async (t) => {
		const resolved = await execa('sh', ['-c', 'command -v "$1"', 'sh', command]);
		t.is(path.dirname(resolved.stdout), shippedDaemonDir, `${command} resolves to ${resolved.stdout}, not the shipped daemon`);
		const probe = versionProbes[command];
		const result = await execa(command, probe.args, { all: true, reject: false });
		const running = probe.pattern.exec(result.all ?? '')?.[1];
		t.truthy(running, `no version in the output of ${command} ${probe.args.join(' ')}: ${result.all}`);
		const shipped = (await manifest()).debian.packages[debianPackage];
		// haproxy prints the whole Debian version, the others only the upstream one.
		const expected = command === 'haproxy' ? shipped : upstreamVersion(shipped);
		t.is(running, expected, `tests run ${command} ${running}, the image ships ${debianPackage} ${shipped}`);
	});
}

test('the manifest records the suites the root file system was built from and the key package versions', async (t) => {
	const { debian } = await manifest();
	t.deepEqual(debian.suites.map((suite) => suite.suite), ['trixie', 'trixie-updates', 'trixie-security']);
	for (const suite of debian.suites) {
		t.regex(suite.sha256, /^[0-9a-f]{64}$/);
		t.false(Number.isNaN(Date.parse(suite.date)), `${suite.suite} date ${suite.date}`);
	}
	t.regex(debian.kernel.package, /^linux-image-6\.\d+\.\d+\+deb13-amd64$/);
	t.regex(debian.packages.haproxy, /^3\.0\./, 'haproxy 3.0 LTS');
	t.regex(debian.packages.nodejs, /^20\./, 'Debian nodejs 20');
	t.regex(debian.packages.openssl, /^3\.5\./, 'OpenSSL 3.5');
});
