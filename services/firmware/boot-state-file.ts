// BootState kept as a JSON file, replaced atomically on every change: the tests' and a host's implementation.
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { SlotError } from './bundle-errors.js';
import { maxTries, shippedBootState, StoredBootState, type BootStateSnapshot } from './boot-state.js';

const SlotName = Type.Union([Type.Literal('A'), Type.Literal('B')]);
const version = { version: Type.Optional(Type.String({ maxLength: 64 })) };
const SlotStateSchema = Type.Union([
	Type.Object({ status: Type.Literal('good'), ...version }, { additionalProperties: false }),
	Type.Object({ status: Type.Literal('bad'), ...version }, { additionalProperties: false }),
	Type.Object({ status: Type.Literal('trying'), triesLeft: Type.Integer({ minimum: 0, maximum: maxTries }), ...version }, { additionalProperties: false }),
]);
const SnapshotSchema = Type.Object({
	primary: SlotName,
	slots: Type.Object({ A: SlotStateSchema, B: SlotStateSchema }),
	rolledBackFrom: Type.Optional(Type.Object({ slot: SlotName, ...version })),
});

export class JsonFileBootState extends StoredBootState {
	/** `shippedVersion`: slot A's version when the file does not exist yet (the image's own). */
	constructor(
		readonly file: string,
		readonly shippedVersion?: string,
	) {
		super();
	}

	/** The saved state; a missing file is the shipped state (slot A good), a damaged one is an error. */
	async read(): Promise<BootStateSnapshot> {
		let text: string;
		try {
			text = await readFile(this.file, 'utf8');
		} catch (error: unknown) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return shippedBootState(this.shippedVersion);
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

	protected async store(snapshot: BootStateSnapshot): Promise<void> {
		await writeFileAtomic(this.file, `${JSON.stringify(snapshot, null, 2)}\n`);
	}
}
