// This node's pairing on the data partition (root only, node-local: never part of the configuration, a backup or a
// sync): who the peer is (its address, peer port, pinned certificate), which of the two is the config primary
// (chosen at pairing; the VRRP master can change, the sync direction does not), whether a save is sent at once, and
// how far the sync got (the primary: the revision of the shared part it sends; the secondary: the last it applied).
import { readFile, rm } from 'node:fs/promises';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { writeFileAtomic } from '../fs/atomic-write.js';

export const configRoles = ['primary', 'secondary'] as const;
export type ConfigRole = (typeof configRoles)[number];

const Hash = Type.String({ pattern: '^([0-9a-f]{64})?$', description: 'SHA-256 of a shared part (hex), "" for none yet' });

export const PeerSchema = Type.Object({
	address: Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$', description: 'the peer\'s address its peer channel answers on' }),
	port: Type.Integer({ minimum: 1, maximum: 65535, description: 'its peer port' }),
	hostname: Type.String({ maxLength: 253 }),
	fingerprint: Type.String({ pattern: '^[0-9A-F]{2}(:[0-9A-F]{2}){31}$', description: 'SHA-256 fingerprint of its pinned certificate' }),
	certificate: Type.String({ maxLength: 8192, description: 'its pinned certificate (PEM)' }),
}, { additionalProperties: false });
export type Peer = Static<typeof PeerSchema>;

export const PairingSchema = Type.Object({
	peer: PeerSchema,
	configRole: Type.Union(configRoles.map((role) => Type.Literal(role))),
	pairedAt: Type.String(),
	syncOnSave: Type.Boolean(),
	sync: Type.Object({
		revision: Type.Integer({ minimum: 0, description: 'primary: the number of the latest shared part it sends (raised when its hash changes)' }),
		hash: Hash,
		appliedRevision: Type.Integer({ minimum: 0, description: 'secondary: the revision of the last shared part it applied' }),
		appliedHash: Hash,
		appliedAt: Type.String(),
	}, { additionalProperties: false }),
}, { additionalProperties: false });
export type Pairing = Static<typeof PairingSchema>;

export class PairingFileError extends Error {
	override readonly name = 'PairingFileError';
}

export const emptySyncState: Pairing['sync'] = { revision: 0, hash: '', appliedRevision: 0, appliedHash: '', appliedAt: '' };

export class PairingStore {
	constructor(readonly file: string) {}

	/** The pairing, or null when this node is not paired. */
	async read(): Promise<Pairing | null> {
		const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return null;
			throw new PairingFileError(`cannot read ${this.file}: ${error.message}`, { cause: error });
		});
		if (text === null) return null;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (error) {
			throw new PairingFileError(`${this.file}: not valid JSON (${(error as Error).message}); unpair and pair again`, { cause: error });
		}
		const first = Value.Errors(PairingSchema, value).First();
		if (first !== undefined) throw new PairingFileError(`${this.file}: ${first.path || '/'} ${first.message}; unpair and pair again`);
		return value as Pairing;
	}

	async write(pairing: Pairing): Promise<void> {
		await writeFileAtomic(this.file, `${JSON.stringify(pairing, null, '\t')}\n`, { mode: 0o600 });
	}

	/** Changes the pairing that is there (none: nothing to change, null comes back). */
	async update(change: (pairing: Pairing) => Pairing): Promise<Pairing | null> {
		const pairing = await this.read();
		if (pairing === null) return null;
		const next = change(pairing);
		await this.write(next);
		return next;
	}

	async remove(): Promise<void> {
		await rm(this.file, { force: true });
	}
}
