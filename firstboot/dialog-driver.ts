// Runs a NetworkDialog on real consoles: forwards their input and closings, ticks once a second while the
// countdown runs, writes what the dialog says. Resolves with the first decision taken on any console.
import type { Clock } from './clock.js';
import type { ConsoleIo } from './console-io.js';
import { NetworkDialog, type Decision, type DialogOptions, type Effect } from './network-dialog.js';

export function runDialog(consoles: readonly ConsoleIo[], clock: Clock, options: Omit<DialogOptions, 'consoles'>, log: (line: string) => void = () => {}): Promise<Decision> {
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
		// A bug in the dialog must not leave the appliance without an address: take the default path.
		const guarded = (step: () => Effect[]) => {
			try {
				perform(step());
			} catch (error) {
				log(`network dialog failed, using DHCP: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
				finish({ kind: 'dhcp', because: 'no-console' });
			}
		};
		// The next tick is armed in the same turn as the text it replaces is written: whoever saw the text can advance the clock.
		const armTick = () => {
			if (cancelTick !== null || !dialog.counting) return;
			cancelTick = clock.setTimer(1000, () => {
				cancelTick = null;
				guarded(() => dialog.tick());
			});
		};
		let finished = false;
		const finish = (decision: Decision) => {
			if (finished) return;
			finished = true;
			cancelTick?.();
			cancelTick = null;
			for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
			resolve(decision);
		};
		let startEffects: Effect[] = [];
		try {
			startEffects = dialog.start();
		} catch (error) {
			log(`network dialog failed to start, using DHCP: ${String(error)}`);
			finish({ kind: 'dhcp', because: 'no-console' });
			return;
		}
		for (const [name, io] of byName) {
			unsubscribes.push(
				io.subscribe({
					input: (data) => guarded(() => dialog.input(name, data)),
					closed: () => guarded(() => dialog.closed(name)),
				}),
			);
		}
		guarded(() => startEffects);
	});
}
