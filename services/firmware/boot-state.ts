// Which system slot boots next and how each slot stands: the interface the installer, the boot assessment and the
// rollback use, the pure transitions between snapshots, and a base class that applies them to a stored snapshot.
// Implementations: the GRUB environment block on the ESP (the appliance's) and a JSON file (tests, a host).
import { SlotError } from './bundle-errors.js';

export type SlotName = 'A' | 'B';
export const slotNames: readonly SlotName[] = ['A', 'B'];

export function otherSlot(slot: SlotName): SlotName {
	return slot === 'A' ? 'B' : 'A';
}

/**
 * good: booted and passed its health checks; trying: installed, triesLeft boots left to pass them (the boot loader
 * counts them down; 0 means they ran out and it boots the other slot); bad: not bootable (empty, half written, failed).
 */
export type SlotStatus = { readonly status: 'good' } | { readonly status: 'bad' } | { readonly status: 'trying'; readonly triesLeft: number };

/** A slot's status and the firmware version written there, when known. */
export type SlotState = SlotStatus & { readonly version?: string };

export interface BootStateSnapshot {
	/** The slot the boot loader tries first. */
	readonly primary: SlotName;
	readonly slots: Readonly<Record<SlotName, SlotState>>;
	/** Set when the appliance came back on the other slot because this one never passed its checks; cleared by the next install. */
	readonly rolledBackFrom?: { readonly slot: SlotName; readonly version?: string };
}

export interface BootState {
	read(): Promise<BootStateSnapshot>;
	/** Makes `slot` the primary with `tries` boots to prove itself (one write: either all of it happens or none). */
	markNextBoot(slot: SlotName, tries: number, version: string): Promise<void>;
	/** The slot passed its health checks. */
	markGood(slot: SlotName): Promise<void>;
	/**
	 * The slot cannot boot: the installer marks the target slot so before its first write (a power cut mid-write
	 * must not leave a "good" slot that is half overwritten); the primary only changes if it was that slot.
	 */
	markBad(slot: SlotName): Promise<void>;
	/** "Boot the previous firmware": `slot` becomes the primary; refused unless it is good. */
	bootPrevious(slot: SlotName): Promise<void>;
	/** The boot loader gave up on `from` (its tries ran out): it is marked bad, the other slot is the primary, and the rollback is kept to be shown. */
	recordRollback(from: SlotName): Promise<void>;
}

/** A fresh disk: slot A as shipped, slot B empty. */
export function shippedBootState(version?: string): BootStateSnapshot {
	return { primary: 'A', slots: { A: { status: 'good', ...(version === undefined ? {} : { version }) }, B: { status: 'bad' } } };
}

/** The most boots an installed slot gets to pass its health checks. */
export const maxTries = 9;

/** Refuses a number of tries outside 1..maxTries (checked before an install writes anything). */
export function checkTries(tries: number): void {
	if (!Number.isInteger(tries) || tries < 1 || tries > maxTries) throw new SlotError('tries', tries, `is not a whole number from 1 to ${maxTries}`);
}

function withSlot(snapshot: BootStateSnapshot, slot: SlotName, state: SlotState): BootStateSnapshot {
	return { ...snapshot, slots: { ...snapshot.slots, [slot]: state } };
}

function versionOf(state: SlotState): { version?: string } {
	return state.version === undefined ? {} : { version: state.version };
}

/** The pure transitions, one per BootState operation (both implementations store their results). */
export const transitions = {
	nextBoot(snapshot: BootStateSnapshot, slot: SlotName, tries: number, version: string): BootStateSnapshot {
		checkTries(tries);
		const { rolledBackFrom: _cleared, ...rest } = snapshot;
		return { ...withSlot(rest, slot, { status: 'trying', triesLeft: tries, version }), primary: slot };
	},
	good(snapshot: BootStateSnapshot, slot: SlotName): BootStateSnapshot {
		return withSlot(snapshot, slot, { status: 'good', ...versionOf(snapshot.slots[slot]) });
	},
	bad(snapshot: BootStateSnapshot, slot: SlotName): BootStateSnapshot {
		const marked = withSlot(snapshot, slot, { status: 'bad', ...versionOf(snapshot.slots[slot]) });
		return snapshot.primary === slot ? { ...marked, primary: otherSlot(slot) } : marked;
	},
	previous(snapshot: BootStateSnapshot, slot: SlotName): BootStateSnapshot {
		if (snapshot.slots[slot].status !== 'good') throw new SlotError(`slot ${slot}`, snapshot.slots[slot].status, 'is not a good slot: only a slot that booted and passed its checks can be chosen');
		return { ...snapshot, primary: slot };
	},
	rollback(snapshot: BootStateSnapshot, from: SlotName): BootStateSnapshot {
		const version = snapshot.slots[from].version;
		return { ...transitions.bad(snapshot, from), primary: otherSlot(from), rolledBackFrom: { slot: from, ...(version === undefined ? {} : { version }) } };
	},
};

/** A BootState over a stored snapshot: each operation loads it, applies its transition, and stores the result in one write. */
export abstract class StoredBootState implements BootState {
	abstract read(): Promise<BootStateSnapshot>;
	protected abstract store(snapshot: BootStateSnapshot): Promise<void>;

	async markNextBoot(slot: SlotName, tries: number, version: string): Promise<void> {
		checkTries(tries);
		await this.store(transitions.nextBoot(await this.read(), slot, tries, version));
	}

	async markGood(slot: SlotName): Promise<void> {
		await this.store(transitions.good(await this.read(), slot));
	}

	async markBad(slot: SlotName): Promise<void> {
		await this.store(transitions.bad(await this.read(), slot));
	}

	async bootPrevious(slot: SlotName): Promise<void> {
		await this.store(transitions.previous(await this.read(), slot));
	}

	async recordRollback(from: SlotName): Promise<void> {
		await this.store(transitions.rollback(await this.read(), from));
	}
}
