// Which system slot is running: the boot selection puts exlb.slot=A|B on the kernel command line.
import { readFile } from 'node:fs/promises';
import type { SlotName } from './boot-state.js';

/** The slot named on the command line; a system booted without the boot selection (none named) is slot A. */
export function slotFromCommandLine(commandLine: string): SlotName {
	const named = /(?:^|\s)exlb\.slot=([AB])(?:\s|$)/.exec(commandLine)?.[1];
	return named === 'B' ? 'B' : 'A';
}

export async function bootedSlot(commandLineFile = '/proc/cmdline'): Promise<SlotName> {
	return slotFromCommandLine(await readFile(commandLineFile, 'utf8'));
}
