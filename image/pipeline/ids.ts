// Fixed identifiers derived from the product and version, so two builds of one version are identical.
import { sha256 } from './cache.js';
import type { Recipe } from './recipe.js';

/** A version-4-shaped UUID derived from the recipe's product, version and a purpose ("system-a"...). */
export function derivedUuid(recipe: Recipe, purpose: string): string {
	return uuidFromSeed(`${recipe.product}/${recipe.version}/${purpose}`);
}

/** A version-4-shaped UUID derived from the SHA-256 of `seed`. */
export function uuidFromSeed(seed: string): string {
	const hex = sha256(seed).slice(0, 32).split('');
	hex[12] = '4';
	hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
	const h = hex.join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** 32-bit FAT volume id (8 hex digits) derived the same way. */
export function derivedVolumeId(recipe: Recipe, purpose: string): string {
	return sha256(`${recipe.product}/${recipe.version}/${purpose}`).slice(0, 8);
}

export interface PartitionIds {
	disk: string;
	biosBoot: string;
	esp: string;
	systemA: string;
	systemB: string;
	data: string;
	dataFs: string;
}

export function partitionIds(recipe: Recipe): PartitionIds {
	const id = (purpose: string) => derivedUuid(recipe, purpose);
	return { disk: id('disk'), biosBoot: id('bios-boot'), esp: id('esp'), systemA: id('system-a'), systemB: id('system-b'), data: id('data'), dataFs: id('data-fs') };
}
