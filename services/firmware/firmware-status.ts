// What the status of the firmware shows, from the boot state and the booted slot: each slot with its version and
// state, the one running and the one the boot loader will start next (the primary while it is good or has tries
// left, else the other), and the last automatic rollback.
import { otherSlot, slotNames, type BootStateSnapshot, type SlotName, type SlotState } from './boot-state.js';

export interface SlotView {
	readonly slot: SlotName;
	readonly status: SlotState['status'];
	/** Boots left for a slot on trial. */
	readonly triesLeft?: number;
	readonly version?: string;
	readonly booted: boolean;
	readonly next: boolean;
}

export interface FirmwareSlotsView {
	readonly booted: SlotName;
	readonly next: SlotName;
	readonly slots: readonly SlotView[];
	readonly rolledBackFrom?: { readonly slot: SlotName; readonly version?: string };
}

/** Whether the boot loader would start this slot when it is the primary. */
function bootable(state: SlotState): boolean {
	return state.status === 'good' || (state.status === 'trying' && state.triesLeft > 0);
}

/** The slot the boot loader starts next: the primary if it can boot, else the other one. */
export function nextBootSlot(snapshot: BootStateSnapshot): SlotName {
	return bootable(snapshot.slots[snapshot.primary]) ? snapshot.primary : otherSlot(snapshot.primary);
}

export function firmwareSlotsView(snapshot: BootStateSnapshot, booted: SlotName): FirmwareSlotsView {
	const next = nextBootSlot(snapshot);
	const slots = slotNames.map((slot): SlotView => {
		const state = snapshot.slots[slot];
		return {
			slot,
			status: state.status,
			...(state.status === 'trying' ? { triesLeft: state.triesLeft } : {}),
			...(state.version === undefined ? {} : { version: state.version }),
			booted: slot === booted,
			next: slot === next,
		};
	});
	return { booted, next, slots, ...(snapshot.rolledBackFrom === undefined ? {} : { rolledBackFrom: snapshot.rolledBackFrom }) };
}
