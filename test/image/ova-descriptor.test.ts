// The OVF descriptor from the shipped recipe, without building an image: valid against the vendored DMTF schema
// (xmllint --nonet), the recommended VM in it, and names that XML would misread escaped.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { ovfDescriptor, type OvfDisk } from '../../image/pipeline/ova.js';
import { imageDir, parseRecipe, type Recipe } from '../../image/pipeline/recipe.js';
import { validateOvf } from '../helpers/ovf-schema.js';

const disk: OvfDisk = { fileName: 'exlb-1.2.3-disk1.vmdk', fileBytes: 123_456_789, capacityBytes: 4 * 1024 ** 3 };
const shippedRecipe = async (): Promise<Recipe> => parseRecipe(JSON.parse(await readFile(path.join(imageDir, 'recipe.json'), 'utf8')), '1.2.3');

/** xmllint's verdict on `ovf`, written to a temporary file. */
async function verdictOn(t: import('ava').ExecutionContext, ovf: string): Promise<{ valid: boolean; messages: string }> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'exlb-ovf-'));
	t.teardown(() => rm(dir, { recursive: true, force: true }));
	const file = path.join(dir, 'descriptor.ovf');
	await writeFile(file, ovf);
	return validateOvf(file);
}

async function validated(t: import('ava').ExecutionContext, ovf: string): Promise<void> {
	const { valid, messages } = await verdictOn(t, ovf);
	t.true(valid, `xmllint refused the descriptor:\n${messages}`);
}

test('the descriptor of the shipped recipe validates against DSP8023 1.1.1', async (t) => {
	await validated(t, ovfDescriptor(await shippedRecipe(), disk));
});

test('it names the disk file with its size and capacity, and the recipe\'s CPUs, memory, controller and NIC', async (t) => {
	const recipe = await shippedRecipe();
	const ovf = ovfDescriptor(recipe, disk);
	t.true(ovf.includes(`<File ovf:href="exlb-1.2.3-disk1.vmdk" ovf:id="file1" ovf:size="123456789"/>`));
	t.true(ovf.includes(`ovf:capacity="${4 * 1024 ** 3}" ovf:capacityAllocationUnits="byte"`));
	t.regex(ovf, new RegExp(`<rasd:ResourceType>3</rasd:ResourceType>\\s*<rasd:VirtualQuantity>${recipe.ova.cpus}</rasd:VirtualQuantity>`));
	t.regex(ovf, new RegExp(`<rasd:ResourceType>4</rasd:ResourceType>\\s*<rasd:VirtualQuantity>${recipe.ova.memoryMiB}</rasd:VirtualQuantity>`));
	t.regex(ovf, new RegExp(`<rasd:ResourceSubType>${recipe.ova.scsiController}</rasd:ResourceSubType>\\s*<rasd:ResourceType>6</rasd:ResourceType>`));
	t.regex(ovf, new RegExp(`<rasd:ResourceSubType>${recipe.ova.nic}</rasd:ResourceSubType>\\s*<rasd:ResourceType>10</rasd:ResourceType>`));
	t.true(ovf.includes(`<vssd:VirtualSystemType>${recipe.ova.virtualSystemType}</vssd:VirtualSystemType>`));
	t.true(ovf.includes(`<Version>1.2.3</Version>`));
});

test('names with XML\'s special characters are escaped and the result still validates', async (t) => {
	const recipe = await shippedRecipe();
	const odd: Recipe = { ...recipe, vendor: 'Smith & "Sons" <lb>', ova: { ...recipe.ova, osType: { ...recipe.ova.osType, description: 'Debian <13> & more' } } };
	const ovf = ovfDescriptor(odd, { ...disk, fileName: 'a&b.vmdk' });
	t.true(ovf.includes('<Vendor>Smith &amp; &quot;Sons&quot; &lt;lb&gt;</Vendor>'));
	t.true(ovf.includes('ovf:href="a&amp;b.vmdk"'));
	await validated(t, ovf);
});

test('the schema check has teeth: an element the CIM schema does not define is refused', async (t) => {
	const ovf = ovfDescriptor(await shippedRecipe(), disk).replace('<rasd:AllocationUnits>', '<rasd:Unknown>x</rasd:Unknown><rasd:AllocationUnits>');
	const { valid, messages } = await verdictOn(t, ovf);
	t.false(valid, 'xmllint accepted an unknown rasd element');
	t.regex(messages, /Unknown/);
});
