// The raw disk as qcow2 (KVM/Proxmox), VHDX (Hyper-V) and streamOptimized VMDK (for the OVA).
import path from 'node:path';
import type { Recipe } from './recipe.js';
import { run } from './step.js';

export interface DiskFormats {
	readonly qcow2: string;
	readonly vhdx: string;
	readonly vmdk: string;
}

export function artifactBase(recipe: Recipe): string {
	return `${recipe.product}-${recipe.version}`;
}

export function diskFormats(recipe: Recipe, dir: string): DiskFormats {
	const base = artifactBase(recipe);
	return { qcow2: path.join(dir, `${base}.qcow2`), vhdx: path.join(dir, `${base}.vhdx`), vmdk: path.join(dir, `${base}-disk1.vmdk`) };
}

/** Converts the raw disk into the three formats, concurrently. */
export async function convertDisk(raw: string, out: DiskFormats): Promise<void> {
	// qemu-img knows ide/buslogic/lsilogic/legacyESX for VMDK; importers take the controller from the OVF anyway.
	const hint = 'qemu-img failed: install qemu-utils and check free disk space';
	await Promise.all([
		run('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', '-c', raw, out.qcow2], { hint }),
		run('qemu-img', ['convert', '-f', 'raw', '-O', 'vhdx', '-o', 'subformat=dynamic,block_size=1M', raw, out.vhdx], { hint }),
		run('qemu-img', ['convert', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=streamOptimized,adapter_type=lsilogic', raw, out.vmdk], { hint }),
	]);
}
