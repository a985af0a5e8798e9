// Lists the original shows as numbered slots (CAS 1-4, routes 1-4, NTP 1-4): the filled slots become the list sent
// to the API, and the API's index in that list ("casServers[1]") is turned back into the slot that showed it.
export function filledSlots<T>(slots: readonly T[], isEmpty: (slot: T) => boolean): { readonly list: T[]; readonly slotOf: (index: number) => number } {
	const positions: number[] = [];
	slots.forEach((slot, position) => {
		if (!isEmpty(slot)) positions.push(position);
	});
	return { list: positions.map((position) => slots[position]!), slotOf: (index) => positions[index] ?? index };
}

/** `list` padded with `empty` to `count` slots. */
export function toSlots<T>(list: readonly T[], count: number, empty: () => T): T[] {
	return Array.from({ length: count }, (_unused, index) => list[index] ?? empty());
}

/** Rewrites `prefix[i]` in an API path to `prefix[slot]`. */
export function slotPath(path: string, prefix: string, slotOf: (index: number) => number): string {
	const match = new RegExp(`^${prefix.replace(/[.[\]]/g, '\\$&')}\\[(\\d+)\\](.*)$`).exec(path);
	return match === null ? path : `${prefix}[${slotOf(Number(match[1]))}]${match[2]}`;
}
