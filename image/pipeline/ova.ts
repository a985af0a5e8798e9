// The OVA: an OVF 1.0 descriptor, its SHA256 manifest and the streamOptimized VMDK, in a plain ustar
// archive in exactly that order (VMware Workstation and ovftool insist on it).
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from './cache.js';
import { artifactBase } from './convert.js';
import { sourceDateEpoch, type Recipe } from './recipe.js';
import { run } from './step.js';

const vmdkFormat = 'http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized';

function xmlEscape(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export interface OvfDisk {
	readonly fileName: string;
	readonly fileBytes: number;
	readonly capacityBytes: number;
}

/** One rasd:Item; keys must be given in the CIM schema's (alphabetical) element order. */
function item(fields: Record<string, string>): string {
	const body = Object.entries(fields).map(([key, value]) => `        <rasd:${key}>${xmlEscape(value)}</rasd:${key}>`);
	return ['      <Item>', ...body, '      </Item>'].join('\n');
}

/** The namespaces of the OVF envelope (written on one line, in this order). */
const envelopeNamespaces = [
	'xmlns="http://schemas.dmtf.org/ovf/envelope/1"',
	'xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"',
	'xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"',
	'xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"',
	'xmlns:vmw="http://www.vmware.com/schema/ovf"',
	'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
].join(' ');

export function ovfDescriptor(recipe: Recipe, disk: OvfDisk): string {
	const { ova } = recipe;
	const name = `${recipe.product}-${recipe.version}`;
	const network = 'VM Network';
	return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope ${envelopeNamespaces}>
  <References>
    <File ovf:href="${xmlEscape(disk.fileName)}" ovf:id="file1" ovf:size="${disk.fileBytes}"/>
  </References>
  <DiskSection>
    <Info>Virtual disk information</Info>
    <Disk ovf:capacity="${disk.capacityBytes}" ovf:capacityAllocationUnits="byte" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="${vmdkFormat}"/>
  </DiskSection>
  <NetworkSection>
    <Info>The logical network the appliance is attached to</Info>
    <Network ovf:name="${network}">
      <Description>The network of the Exchange servers and their clients</Description>
    </Network>
  </NetworkSection>
  <VirtualSystem ovf:id="${xmlEscape(name)}">
    <Info>${xmlEscape(recipe.product)}: load-balancer appliance for Microsoft Exchange</Info>
    <Name>${xmlEscape(name)}</Name>
    <ProductSection>
      <Info>Product information</Info>
      <Product>${xmlEscape(recipe.product)}</Product>
      <Vendor>${xmlEscape(recipe.vendor)}</Vendor>
      <Version>${xmlEscape(recipe.version)}</Version>
      <FullVersion>${xmlEscape(recipe.version)}</FullVersion>
    </ProductSection>
    <OperatingSystemSection ovf:id="${ova.osType.id}" vmw:osType="${xmlEscape(ova.osType.vmw)}">
      <Info>The guest operating system</Info>
      <Description>${xmlEscape(ova.osType.description)}</Description>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>${xmlEscape(name)}</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>${xmlEscape(ova.virtualSystemType)}</vssd:VirtualSystemType>
      </System>
${item({ AllocationUnits: 'hertz * 10^6', Description: 'Number of virtual CPUs', ElementName: `${ova.cpus} virtual CPU(s)`, InstanceID: '1', ResourceType: '3', VirtualQuantity: String(ova.cpus) })}
${item({ AllocationUnits: 'byte * 2^20', Description: 'Memory size', ElementName: `${ova.memoryMiB} MB of memory`, InstanceID: '2', ResourceType: '4', VirtualQuantity: String(ova.memoryMiB) })}
${item({ Address: '0', Description: 'SCSI controller', ElementName: 'SCSI controller 0', InstanceID: '3', ResourceSubType: ova.scsiController, ResourceType: '6' })}
${item({ AddressOnParent: '0', ElementName: 'Hard disk 1', HostResource: 'ovf:/disk/vmdisk1', InstanceID: '4', Parent: '3', ResourceType: '17' })}
${item({ AddressOnParent: '7', AutomaticAllocation: 'true', Connection: network, Description: `${ova.nic} ethernet adapter on "${network}"`, ElementName: 'Network adapter 1', InstanceID: '5', ResourceSubType: ova.nic, ResourceType: '10' })}
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`;
}

/** Manifest lines "SHA256(name)= hex", as ovftool writes them. */
export async function manifest(files: readonly string[]): Promise<string> {
	const lines = await Promise.all(files.map(async (file) => `SHA256(${path.basename(file)})= ${await sha256File(file)}`));
	return `${lines.join('\n')}\n`;
}

/** Writes <dir>/<base>.ova from the VMDK; returns its path. */
export async function buildOva(recipe: Recipe, vmdk: string, capacityBytes: number, dir: string): Promise<string> {
	const base = artifactBase(recipe);
	const ovf = path.join(dir, `${base}.ovf`);
	const mf = path.join(dir, `${base}.mf`);
	const ova = path.join(dir, `${base}.ova`);
	await writeFile(ovf, ovfDescriptor(recipe, { fileName: path.basename(vmdk), fileBytes: (await stat(vmdk)).size, capacityBytes }));
	await writeFile(mf, await manifest([ovf, vmdk]));
	const members = [ovf, mf, vmdk];
	if (new Set(members.map((file) => path.dirname(file))).size !== 1) throw new Error('OVA members must share one directory');
	await run(
		'tar',
		['--format=ustar', '--create', `--file=${ova}`, `--directory=${dir}`, '--owner=0', '--group=0', '--numeric-owner', `--mtime=@${sourceDateEpoch(recipe)}`, '--mode=0644', ...members.map((file) => path.basename(file))],
		{ hint: 'tar failed: check free disk space' },
	);
	return ova;
}
