// Which system slot boots next and how each slot stands: the interface the installer and (later) the health check
// and the rollback use. Only the JSON-file implementation exists yet (boot-state-file.ts); the GRUB environment
// block on the ESP will be the appliance's.
import { SlotError } from './bundle-errors.js';

export type SlotName = 'A' | 'B';
export const slotNames: readonly SlotName[] = ['A', 'B'];

/** good: booted and passed its health checks; trying: installed, N boots left to pass them; bad: not bootable. */
export type SlotStatus = { readonly status: 'good' } | { readonly status: 'bad' } | { readonly status: 'trying'; readonly triesLeft: number };

export interface BootStateSnapshot {
	/** The slot the boot loader tries first. */
	readonly primary: SlotName;
	readonly slots: Readonly<Record<SlotName, SlotStatus>>;
}

export interface BootState {
	read(): Promise<BootStateSnapshot>;
	/** Makes `slot` the primary with `tries` boots to prove itself (one write: either all of it happens or none). */
	markNextBoot(slot: SlotName, tries: number): Promise<void>;
	/** The slot passed its health checks. */
	markGood(slot: SlotName): Promise<void>;
	/**
	 * The slot cannot boot: the installer marks the target slot so before its first write (a power cut mid-write
	 * must not leave a "good" slot that is half overwritten); the primary only changes if it was that slot.
	 */
	markBad(slot: SlotName): Promise<void>;
}

/** A fresh disk: slot A as shipped, slot B empty. */
export const shippedBootState: BootStateSnapshot = { primary: 'A', slots: { A: { status: 'good' }, B: { status: 'bad' } } };

/** The most boots an installed slot gets to pass its health checks. */
export const maxTries = 9;

/** Refuses a number of tries outside 1..maxTries (checked before an install writes anything). */
export function checkTries(tries: number): void {
	if (!Number.isInteger(tries) || tries < 1 || tries > maxTries) throw new SlotError('tries', tries, `is not a whole number from 1 to ${maxTries}`);
}
