// The appliance's boot state: two copies of a GRUB environment block on the ESP, read by the boot loader
// (boot-select.cfg) and written here. A write never truncates or rewrites the current copy: it goes, in place and
// synced, into the other copy with the next sequence number. The sequence number is written three times (first and
// last line of sector 0, first line of sector 1), so a torn write - a prefix of the new bytes, or one sector
// without the other - leaves a copy whose three numbers differ; GRUB and this reader then skip it and keep the
// previous state from the other copy. A missing or corrupt pair means the shipped state (slot A).
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SlotError } from './bundle-errors.js';
import { maxTries, shippedBootState, StoredBootState, type BootStateSnapshot, type SlotName, type SlotState } from './boot-state.js';
import { envLine, grubEnvBytes, grubEnvSignature, parseGrubEnv } from './grub-env.js';

const sectorBytes = 512;

/** The copies' file names in the ESP's boot directory (EFI/exlb). */
export const bootEnvCopyNames = ['bootenv0', 'bootenv1'] as const;
export type CopyIndex = 0 | 1;

/** Reads and writes the two copies: in place, durable when write() resolves. */
export interface EnvCopies {
	read(index: CopyIndex): Promise<Buffer | undefined>;
	write(index: CopyIndex, block: Buffer): Promise<void>;
}

export interface DecodedCopy {
	readonly sequence: number;
	readonly snapshot: BootStateSnapshot;
}

const statuses = new Set(['good', 'bad', 'trying']);

/** The block GRUB reads: sector 0 holds the state between two copies of the sequence number, sector 1 the third. */
export function encodeBootEnv(snapshot: BootStateSnapshot, sequence: number): Buffer {
	if (!Number.isSafeInteger(sequence) || sequence < 1) throw new SlotError('boot state sequence', sequence, 'is not a positive whole number');
	const lines = [envLine('EXLB_SEQ', String(sequence)), envLine('EXLB_PRIMARY', snapshot.primary)];
	for (const slot of ['A', 'B'] as const) {
		const state = snapshot.slots[slot];
		lines.push(
			envLine(`EXLB_${slot}_STATUS`, state.status),
			envLine(`EXLB_${slot}_TRIES`, String(state.status === 'trying' ? state.triesLeft : 0)),
			envLine(`EXLB_${slot}_VERSION`, state.version ?? ''),
		);
	}
	lines.push(envLine('EXLB_ROLLBACK_SLOT', snapshot.rolledBackFrom?.slot ?? ''), envLine('EXLB_ROLLBACK_VERSION', snapshot.rolledBackFrom?.version ?? ''));
	lines.push(envLine('EXLB_MID', String(sequence)));
	const head = grubEnvSignature + lines.join('');
	if (head.length > sectorBytes - 2) throw new SlotError('boot state', `${head.length} bytes`, `does not fit the first sector of the environment block (${sectorBytes - 2} at most)`);
	// Sector 0 ends with a comment line of '#'; sector 1 starts with the third sequence number, then GRUB's padding.
	const sector0 = head + '#'.repeat(sectorBytes - 1 - head.length) + '\n';
	const tail = envLine('EXLB_END', String(sequence));
	return Buffer.from(sector0 + tail + '#'.repeat(grubEnvBytes - sectorBytes - tail.length), 'latin1');
}

function slotState(variables: Map<string, string>, slot: SlotName): SlotState | undefined {
	const status = variables.get(`EXLB_${slot}_STATUS`);
	const tries = variables.get(`EXLB_${slot}_TRIES`) ?? '';
	const version = variables.get(`EXLB_${slot}_VERSION`) ?? '';
	if (status === undefined || !statuses.has(status) || !/^\d$/.test(tries) || Number(tries) > maxTries) return undefined;
	const withVersion = version === '' ? {} : { version };
	return status === 'trying' ? { status, triesLeft: Number(tries), ...withVersion } : { status: status as 'good' | 'bad', ...withVersion };
}

/** The state in one copy, or undefined when it is not a whole, consistent block (missing, zeroed, torn, foreign). */
export function decodeBootEnv(block: Buffer | undefined): DecodedCopy | undefined {
	if (block === undefined || block.length !== grubEnvBytes) return undefined;
	const variables = parseGrubEnv(block);
	if (variables === undefined) return undefined;
	const sequence = variables.get('EXLB_SEQ') ?? '';
	if (!/^[1-9]\d{0,14}$/.test(sequence) || variables.get('EXLB_MID') !== sequence || variables.get('EXLB_END') !== sequence) return undefined;
	const primary = variables.get('EXLB_PRIMARY');
	const A = slotState(variables, 'A');
	const B = slotState(variables, 'B');
	if ((primary !== 'A' && primary !== 'B') || A === undefined || B === undefined) return undefined;
	const rollbackSlot = variables.get('EXLB_ROLLBACK_SLOT') ?? '';
	const rollbackVersion = variables.get('EXLB_ROLLBACK_VERSION') ?? '';
	const rolledBackFrom = rollbackSlot === 'A' || rollbackSlot === 'B' ? { rolledBackFrom: { slot: rollbackSlot as SlotName, ...(rollbackVersion === '' ? {} : { version: rollbackVersion }) } } : {};
	return { sequence: Number(sequence), snapshot: { primary, slots: { A, B }, ...rolledBackFrom } };
}

export interface BootEnvInspection {
	/** Each copy: its sequence number, or undefined when it is not valid. */
	readonly copies: readonly [number | undefined, number | undefined];
	/** The copy in force (the higher valid sequence number; copy 0 on a tie), undefined when neither is valid. */
	readonly current?: CopyIndex;
}

export class GrubEnvBootState extends StoredBootState {
	/** `shippedVersion`: slot A's version when neither copy is valid (the boot loader then boots slot A). */
	constructor(
		readonly copies: EnvCopies,
		readonly shippedVersion?: string,
	) {
		super();
	}

	private async load(): Promise<{ decoded: [DecodedCopy | undefined, DecodedCopy | undefined]; current?: CopyIndex }> {
		const decoded: [DecodedCopy | undefined, DecodedCopy | undefined] = [decodeBootEnv(await this.copies.read(0)), decodeBootEnv(await this.copies.read(1))];
		const [zero, one] = decoded;
		if (zero === undefined && one === undefined) return { decoded };
		const current: CopyIndex = zero === undefined || (one !== undefined && one.sequence > zero.sequence) ? 1 : 0;
		return { decoded, current };
	}

	async inspect(): Promise<BootEnvInspection> {
		const { decoded, current } = await this.load();
		return { copies: [decoded[0]?.sequence, decoded[1]?.sequence], ...(current === undefined ? {} : { current }) };
	}

	async read(): Promise<BootStateSnapshot> {
		const { decoded, current } = await this.load();
		return current === undefined ? shippedBootState(this.shippedVersion) : decoded[current]!.snapshot;
	}

	protected async store(snapshot: BootStateSnapshot): Promise<void> {
		const { decoded, current } = await this.load();
		const target: CopyIndex = current === 1 ? 0 : current === 0 ? 1 : 0;
		const sequence = (current === undefined ? 0 : decoded[current]!.sequence) + 1;
		await this.copies.write(target, encodeBootEnv(snapshot, sequence));
	}
}

/** The copies as files in a directory (the mounted ESP's EFI/exlb, or a test's temp dir). */
export function directoryEnvCopies(dir: string): EnvCopies {
	const file = (index: CopyIndex) => path.join(dir, bootEnvCopyNames[index]);
	return {
		async read(index) {
			try {
				return await readFile(file(index));
			} catch (error: unknown) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
				throw new SlotError('boot state copy', file(index), 'cannot be read', { cause: error });
			}
		},
		async write(index, block) {
			// In place: the file keeps its clusters (GRUB writes into the same ones), only a missing copy is created.
			const handle = await open(file(index), 'r+').catch(async (error: unknown) => {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') return open(file(index), 'wx', 0o644);
				throw error;
			}).catch((error: unknown) => {
				throw new SlotError('boot state copy', file(index), 'cannot be opened for writing', { cause: error });
			});
			try {
				await handle.write(block, 0, block.length, 0);
				await handle.datasync();
			} catch (error: unknown) {
				throw new SlotError('boot state copy', file(index), 'could not be written', { cause: error });
			} finally {
				await handle.close();
			}
		},
	};
}
