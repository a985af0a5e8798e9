// BootState kept as a JSON file, replaced atomically on every change: the tests' and a host's implementation.
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { SlotError } from './bundle-errors.js';
import { checkTries, maxTries, shippedBootState, type BootState, type BootStateSnapshot, type SlotName, type SlotStatus } from './boot-state.js';

const SlotStatusSchema = Type.Union([
	Type.Object({ status: Type.Literal('good') }, { additionalProperties: false }),
	Type.Object({ status: Type.Literal('bad') }, { additionalProperties: false }),
	Type.Object({ status: Type.Literal('trying'), triesLeft: Type.Integer({ minimum: 1, maximum: maxTries }) }, { additionalProperties: false }),
]);
const SnapshotSchema = Type.Object({
	primary: Type.Union([Type.Literal('A'), Type.Literal('B')]),
	slots: Type.Object({ A: SlotStatusSchema, B: SlotStatusSchema }),
});

export class JsonFileBootState implements BootState {
	constructor(readonly file: string) {}

	/** The saved state; a missing file is the shipped state (slot A good), a damaged one is an error. */
	async read(): Promise<BootStateSnapshot> {
		let text: string;
		try {
			text = await readFile(this.file, 'utf8');
		} catch (error: unknown) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return shippedBootState;
			throw error;
		}
		let raw: unknown;
		try {
			raw = JSON.parse(text);
		} catch (error: unknown) {
			throw new SlotError('boot state', this.file, 'is not JSON', { cause: error });
		}
		if (!Value.Check(SnapshotSchema, raw)) throw new SlotError('boot state', this.file, 'is not a boot state (primary, slots A and B)');
		return raw;
	}

	async markNextBoot(slot: SlotName, tries: number): Promise<void> {
		checkTries(tries);
		const current = await this.read();
		await this.write({ primary: slot, slots: { ...current.slots, [slot]: { status: 'trying', triesLeft: tries } } });
	}

	async markGood(slot: SlotName): Promise<void> {
		await this.setStatus(slot, { status: 'good' });
	}

	async markBad(slot: SlotName): Promise<void> {
		await this.setStatus(slot, { status: 'bad' });
	}

	private async setStatus(slot: SlotName, status: SlotStatus): Promise<void> {
		const current = await this.read();
		await this.write({ ...current, slots: { ...current.slots, [slot]: status } });
	}

	private async write(snapshot: BootStateSnapshot): Promise<void> {
		await writeFileAtomic(this.file, `${JSON.stringify(snapshot, null, 2)}\n`);
	}
}
