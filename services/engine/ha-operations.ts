// The engine's operations for the HA pair (services/ha): its status, a pairing offer on the node to be the config
// secondary, pairing from the config primary, unpairing, "sync now" and the "sync on save" setting. Spread into the
// engine protocol's operations (services/engine/protocol.ts) like every other operation, so the web API and its
// OpenAPI document are built from the same schemas.
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { haRoles } from '../config/schema.js';

const literals = <const T extends readonly string[]>(values: T, description?: string) =>
	Type.Union(values.map((value) => Type.Literal(value)), description === undefined ? {} : { description }) as unknown as TUnion<TLiteral<T[number]>[]>;
const nullable = <T extends TSchema>(schema: T, description?: string) => Type.Union([schema, Type.Null()], description === undefined ? {} : { description });

const Fingerprint = Type.String({ description: 'SHA-256 fingerprint of a node\'s identity certificate (AB:CD:...)' });
const Address = Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$', description: 'an IPv4 address' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const Time = Type.String({ description: 'ISO 8601' });

export const syncStates = ['in-sync', 'pending', 'failed', 'unknown'] as const;
export type SyncStateName = (typeof syncStates)[number];

export const HaStatusSchema = Type.Object({
	identity: Type.Object({ fingerprint: Fingerprint }, { additionalProperties: false }),
	peerPort: nullable(Port, 'the port this node\'s peer channel listens on; null: it does not listen (an engine started without it)'),
	offer: nullable(Type.Object({ expiresAt: Time }, { additionalProperties: false }), 'a pairing code this node offers (the code is shown once, by ha.offer)'),
	pairing: nullable(Type.Object({
		peer: Type.Object({ address: Address, port: Port, hostname: Type.String(), fingerprint: Fingerprint }, { additionalProperties: false }),
		configRole: literals(['primary', 'secondary'] as const, 'primary: this node sends its shared configuration; secondary: it takes the primary\'s (chosen at pairing, whichever node is VRRP master)'),
		pairedAt: Time,
		syncOnSave: Type.Boolean({ description: 'primary: every save is sent to the peer at once; off: only "sync now" sends it' }),
	}, { additionalProperties: false }), 'null: not paired'),
	peer: nullable(Type.Object({
		reachable: Type.Boolean(),
		lastContact: nullable(Time),
		error: nullable(Type.String(), 'why the last contact failed'),
		hostname: nullable(Type.String()),
		haRole: nullable(literals(haRoles)),
		firmwareVersion: nullable(Type.String()),
		schemaVersion: nullable(Type.Integer()),
		vrrpState: nullable(Type.String()),
		vipHeld: nullable(Type.Boolean()),
	}, { additionalProperties: false }), 'what the paired peer last said of itself; null: not paired'),
	sync: nullable(Type.Object({
		state: literals(syncStates, 'in-sync: both nodes\' shared parts have the same hash; pending: being sent, or waiting for the peer or for "sync now"; failed: the peer refused it (reason)'),
		reason: nullable(Type.String()),
		localHash: Type.String({ description: 'SHA-256 of this node\'s saved shared part' }),
		peerHash: nullable(Type.String(), 'the peer\'s, as it last said'),
		revision: Type.Integer({ minimum: 0, description: 'primary: the revision of the shared part it sends; secondary: the last it applied' }),
		lastAttempt: nullable(Time),
		lastSuccess: nullable(Time),
	}, { additionalProperties: false }), 'null: not paired'),
	drains: Type.Array(Type.Object({
		address: Address,
		state: literals(['ready', 'drain', 'maint'] as const),
		status: literals(['pending', 'failed'] as const),
		reason: Type.String(),
	}, { additionalProperties: false }), { description: 'server states set here and not yet set on the peer' }),
	problems: Type.Array(Type.String(), { description: 'what is wrong with the pair (both nodes master, both holding the VIP, different firmware)' }),
}, { additionalProperties: false });
export type HaStatus = Static<typeof HaStatusSchema>;

const Empty = Type.Object({}, { additionalProperties: false });

function operation<P extends TSchema, R extends TSchema>(params: P, result: R, description: string) {
	return { params, result, description };
}

export const haOperations = {
	'ha.status': operation(Empty, HaStatusSchema, 'the HA pair: this node\'s identity, its pairing, the peer as last seen, the configuration sync and the pair\'s problems'),
	'ha.offer': operation(Empty, Type.Object({
		code: Type.String({ description: 'the one-time pairing code to type on the config primary (valid 10 minutes, 5 attempts)' }),
		fingerprint: Fingerprint,
		expiresAt: Time,
		port: nullable(Port, 'this node\'s peer port, to give with its address'),
	}, { additionalProperties: false }), 'on the node to be the config secondary: makes a one-time pairing code (a new one replaces the previous)'),
	'ha.pair': operation(Type.Object({
		address: Address,
		port: Type.Optional(Port),
		code: Type.String({ minLength: 1, maxLength: 64, description: 'the code the other node shows' }),
	}, { additionalProperties: false }), HaStatusSchema,
	'on the config primary: pairs with the node at address (peer port, default 4445) that offers the code; both pin each other\'s certificate'),
	'ha.unpair': operation(Empty, Type.Object({
		peerNotified: Type.Boolean({ description: 'false: the peer could not be told (it stays paired until unpaired there)' }),
		message: nullable(Type.String()),
	}, { additionalProperties: false }), 'forgets the pairing here, and tells the peer to forget it too'),
	'ha.sync': operation(Empty, HaStatusSchema, 'sync now: the primary sends its saved shared part (the secondary asks the primary to); returns at once, the status follows it'),
	'ha.settings': operation(Type.Object({ syncOnSave: Type.Boolean() }, { additionalProperties: false }), HaStatusSchema,
		'on the config primary: send every save to the peer at once (on) or only on "sync now" (off)'),
} as const;
