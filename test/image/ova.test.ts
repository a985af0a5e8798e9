// Unpacks the built OVA and checks what importers insist on: member order, plain ustar headers,
// the SHA256 manifest, schema validity of the OVF, the streamOptimized VMDK, and out/manifest.json.
import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { artifacts, requireArtifact, version } from '../helpers/image-artifacts.js';
import { validateOvf } from '../helpers/ovf-schema.js';

const base = `exlb-${version}`;
let dir = '';

test.before(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-ova-'));
	await execa('tar', ['-xf', requireArtifact(artifacts.ova), '-C', dir]);
});

test.after.always(async () => {
	if (dir) await rm(dir, { recursive: true, force: true });
});

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

test('members are the .ovf, then the .mf, then the .vmdk, with no folders', async (t) => {
	const { stdout } = await execa('tar', ['-tf', artifacts.ova]);
	t.deepEqual(stdout.split('\n'), [`${base}.ovf`, `${base}.mf`, `${base}-disk1.vmdk`]);
});

test('every tar header is POSIX ustar ("ustar\\0" "00"), not GNU', async (t) => {
	const handle = await open(artifacts.ova);
	try {
		let offset = 0;
		for (let member = 0; member < 3; member += 1) {
			const header = Buffer.alloc(512);
			await handle.read(header, 0, 512, offset);
			t.is(header.toString('latin1', 257, 265), 'ustar\u000000', `member ${member} magic`);
			const size = parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/, '').trim(), 8);
			offset += 512 + Math.ceil(size / 512) * 512;
		}
	} finally {
		await handle.close();
	}
});

test('the manifest holds a correct SHA256 line for the .ovf and the .vmdk', async (t) => {
	const lines = (await readFile(path.join(dir, `${base}.mf`), 'utf8')).trim().split('\n');
	t.is(lines.length, 2);
	for (const line of lines) {
		const match = /^SHA256\(([^)]+)\)= ([0-9a-f]{64})$/.exec(line);
		if (!match) return t.fail(`bad manifest line: ${line}`);
		t.is(match[2], await sha256(path.join(dir, match[1]!)), `hash of ${match[1]}`);
	}
	t.deepEqual(lines.map((line) => /\(([^)]+)\)/.exec(line)?.[1]).sort(), [`${base}-disk1.vmdk`, `${base}.ovf`]);
});

test('the OVF validates against the DMTF schema (xmllint --nonet)', async (t) => {
	const { valid, messages } = await validateOvf(path.join(dir, `${base}.ovf`));
	t.true(valid, messages);
});

test('the OVF describes the recommended VM: OVF 1.0, vmx-13, 2 vCPU, 1 GiB, SCSI, vmxnet3, the disk', async (t) => {
	const ovf = await readFile(path.join(dir, `${base}.ovf`), 'utf8');
	t.regex(ovf, /<Envelope xmlns="http:\/\/schemas\.dmtf\.org\/ovf\/envelope\/1"/);
	t.regex(ovf, /<Product>exlb<\/Product>/);
	t.true(ovf.includes(`<Version>${version}</Version>`));
	t.regex(ovf, /<vssd:VirtualSystemType>vmx-1[34]<\/vssd:VirtualSystemType>/);
	t.regex(ovf, /<rasd:ResourceType>3<\/rasd:ResourceType>\s*<rasd:VirtualQuantity>2<\/rasd:VirtualQuantity>/);
	t.regex(ovf, /<rasd:ResourceType>4<\/rasd:ResourceType>\s*<rasd:VirtualQuantity>1024<\/rasd:VirtualQuantity>/);
	t.regex(ovf, /<rasd:ResourceSubType>(lsilogic|VirtualSCSI)<\/rasd:ResourceSubType>\s*<rasd:ResourceType>6<\/rasd:ResourceType>/);
	t.regex(ovf, /<rasd:ResourceSubType>VmxNet3<\/rasd:ResourceSubType>\s*<rasd:ResourceType>10<\/rasd:ResourceType>/);
	t.regex(ovf, /<OperatingSystemSection ovf:id="\d+"/);
	const vmdk = path.join(dir, `${base}-disk1.vmdk`);
	const { size } = await stat(vmdk);
	t.true(ovf.includes(`ovf:href="${base}-disk1.vmdk" ovf:id="file1" ovf:size="${size}"`));
	const info = JSON.parse((await execa('qemu-img', ['info', '--output=json', vmdk])).stdout) as { 'virtual-size': number };
	t.true(ovf.includes(`ovf:capacity="${info['virtual-size']}"`));
});

test('the disk is a streamOptimized VMDK', async (t) => {
	const info = JSON.parse((await execa('qemu-img', ['info', '--output=json', path.join(dir, `${base}-disk1.vmdk`)])).stdout) as {
		format: string;
		'format-specific'?: { data?: { 'create-type'?: string } };
	};
	t.is(info.format, 'vmdk');
	t.is(info['format-specific']?.data?.['create-type'], 'streamOptimized');
});

test('out/manifest.json lists the OVA, qcow2 and VHDX with their sizes and SHA256', async (t) => {
	const manifest = JSON.parse(await readFile(requireArtifact(artifacts.manifest), 'utf8')) as { version: string; files: { name: string; size: number; sha256: string }[] };
	t.is(manifest.version, version);
	t.deepEqual(manifest.files.map((file) => file.name).sort(), [`${base}.ova`, `${base}.qcow2`, `${base}.vhdx`]);
	for (const file of manifest.files) {
		const full = path.join(path.dirname(artifacts.manifest), file.name);
		t.is(file.sha256, await sha256(full), file.name);
		t.is(file.size, (await stat(full)).size, file.name);
	}
	const qcow2 = JSON.parse((await execa('qemu-img', ['info', '--output=json', artifacts.qcow2])).stdout) as { format: string };
	const vhdx = JSON.parse((await execa('qemu-img', ['info', '--output=json', artifacts.vhdx])).stdout) as { format: string };
	t.is(qcow2.format, 'qcow2');
	t.is(vhdx.format, 'vhdx');
});
