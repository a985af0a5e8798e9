// Runs a NetworkDialog on real consoles: forwards their input and closings, ticks once a second while the
// countdown runs, writes what the dialog says. Resolves with the first decision taken on any console.
import type { Clock } from './clock.js';
import type { ConsoleIo } from './console-io.js';
import { NetworkDialog, type Decision, type DialogOptions, type Effect } from './network-dialog.js';

export function runDialog(consoles: readonly ConsoleIo[], clock: Clock, options: Omit<DialogOptions, 'consoles'>): Promise<Decision> {
	const byName = new Map(consoles.filter((io) => !io.isClosed).map((io) => [io.name, io]));
	const dialog = new NetworkDialog({ ...options, consoles: [...byName.keys()] });
	return new Promise((resolve) => {
		const unsubscribes: (() => void)[] = [];
		let cancelTick: (() => void) | null = null;
		const perform = (effects: Effect[]) => {
			for (const effect of effects) {
				if (effect.type === 'write') byName.get(effect.to)?.write(effect.text);
				else finish(effect.decision);
			}
			armTick();
		};
		// The next tick is armed before the text it will replace is written, so a test that saw the text can advance.
		const armTick = () => {
			if (cancelTick !== null || !dialog.counting) return;
			cancelTick = clock.setTimer(1000, () => {
				cancelTick = null;
				perform(dialog.tick());
			});
		};
		const finish = (decision: Decision) => {
			cancelTick?.();
			cancelTick = null;
			for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
			resolve(decision);
		};
		const startEffects = dialog.start();
		for (const [name, io] of byName) {
			unsubscribes.push(
				io.subscribe({
					input: (data) => perform(dialog.input(name, data)),
					closed: () => perform(dialog.closed(name)),
				}),
			);
		}
		perform(startEffects);
	});
}
