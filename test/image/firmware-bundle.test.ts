// The built update bundle: out/exlb-<version>.exlbfw carries the image's version, verifies against the public key its
// own system squashfs ships at /usr/share/exlb/firmware-keys (the slot A image trusts it), and no private key is in
// the appliance layer.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { trustedKeyFromPem } from '../../services/firmware/bundle-keys.js';
import { verifyBundle } from '../../services/firmware/bundle-read.js';
import { unpackMembers } from '../helpers/firmware-bundles.js';
import { artifacts, requireArtifact, version } from '../helpers/image-artifacts.js';

let dir = '';
let payload = '';

test.before(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-fwimage-'));
	payload = path.join(dir, 'system.squashfs');
	const members = await unpackMembers(requireArtifact(artifacts.firmware));
	await writeFile(payload, members[2]!.data);
});

test.after.always(async () => {
	if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** The *.pem files under a directory of the payload squashfs, with their content. */
async function pemFiles(under: string): Promise<{ name: string; text: string }[]> {
	const { stdout } = await execa('unsquashfs', ['-l', '-d', '', payload, under]);
	// Listed as /opt/...; -cat takes the path without the leading slash.
	const names = stdout.split('\n').filter((line) => line.endsWith('.pem')).map((line) => line.replace(/^\/+/, ''));
	return Promise.all(names.map(async (name) => ({ name, text: (await execa('unsquashfs', ['-cat', payload, name])).stdout })));
}

test('the bundle verifies against the key its system ships, as version of this image', async (t) => {
	const { stdout } = await execa('unsquashfs', ['-lls', '-d', '', payload, 'usr/share/exlb/firmware-keys']);
	t.regex(stdout, /^l\S+ .* \/usr\/share\/exlb\/firmware-keys -> \/opt\/exlb\/firmware-keys$/m);
	const keys = (await pemFiles('opt/exlb/firmware-keys')).map(({ name, text }) => trustedKeyFromPem(text, name));
	t.is(keys.length, 1);
	const verified = await verifyBundle(createReadStream(artifacts.firmware), { trustedKeys: keys, runningVersion: version });
	t.is(verified.manifest.version, version);
	t.is(path.basename(keys[0]!.source), `${verified.manifest.keyId}.pem`);
});

test('the appliance layer holds public keys only', async (t) => {
	const pems = await pemFiles('opt/exlb');
	t.true(pems.length > 0);
	for (const { name, text } of pems) t.false(text.includes('PRIVATE KEY'), name);
});
