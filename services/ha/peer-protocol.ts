// The peer channel between the two nodes of a pair: HTTPS with mutual TLS on the peer port, each side presenting its
// identity certificate (services/ha/identity.ts) and accepting only the one it pinned at pairing. Every message is a
// JSON body checked against these schemas before anything runs; every refusal says why in one word and one sentence.
import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { haRoles } from '../config/schema.js';
import { SharedConfigSchema } from '../config/shared.js';
import { FieldErrorSchema } from '../engine/protocol.js';
import { configRoles } from './pairing-store.js';

/** The peer port's default (the web interface is on 4444). */
export const defaultPeerPort = 4445;

const literals = <const T extends readonly string[]>(values: T) => Type.Union(values.map((value) => Type.Literal(value))) as unknown as TUnion<TLiteral<T[number]>[]>;

const Versions = {
	firmwareVersion: Type.String({ maxLength: 64, description: 'the sender\'s exlb version' }),
	schemaVersion: Type.Integer({ minimum: 1, description: 'the configuration format it writes' }),
};
const Hostname = Type.String({ maxLength: 253 });
const Hash = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Address = Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$' });

export const PairRequestSchema = Type.Object({
	proof: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'HMAC of the pairing code over both fingerprints (services/ha/pairing-code.ts)' }),
	hostname: Hostname,
	port: Type.Integer({ minimum: 1, maximum: 65535, description: 'the primary\'s peer port (its address: the one the request came from)' }),
	haRole: literals(haRoles),
	...Versions,
}, { additionalProperties: false });

export const PairResponseSchema = Type.Object({
	proof: Type.String({ pattern: '^[0-9a-f]{64}$' }),
	hostname: Hostname,
	haRole: literals(haRoles),
	...Versions,
}, { additionalProperties: false });

export const PeerStateSchema = Type.Object({
	hostname: Hostname,
	haRole: literals(haRoles),
	configRole: literals(configRoles),
	...Versions,
	sharedHash: Hash,
	/** primary: the revision it sends; secondary: the last it applied. */
	revision: Type.Integer({ minimum: 0 }),
	vrrpState: Type.String({ maxLength: 32 }),
	vipHeld: Type.Boolean(),
}, { additionalProperties: false });

export const SyncCertificateSchema = Type.Object({
	name: SharedConfigSchema.properties.certificates.items.properties.name,
	pem: Type.String({ maxLength: 65536, description: 'key and certificate chain' }),
}, { additionalProperties: false });

export const SyncRequestSchema = Type.Object({
	revision: Type.Integer({ minimum: 1 }),
	hash: Hash,
	hostname: Hostname,
	...Versions,
	shared: SharedConfigSchema,
	certificates: Type.Array(SyncCertificateSchema, { maxItems: 16 }),
}, { additionalProperties: false });

export const SyncResponseSchema = Type.Object({
	outcome: literals(['applied', 'already'] as const),
	revision: Type.Integer({ minimum: 1 }),
	hash: Hash,
}, { additionalProperties: false });

export const ServerStateRequestSchema = Type.Object({
	address: Address,
	state: literals(['ready', 'drain', 'maint'] as const),
	hostname: Hostname,
}, { additionalProperties: false });

export const Empty = Type.Object({}, { additionalProperties: false });

export const refusalReasons = [
	'malformed', 'no-certificate', 'not-paired', 'wrong-identity', 'no-offer', 'expired', 'wrong-code', 'already-paired', 'same-role', 'version-mismatch',
	'not-secondary', 'not-primary', 'stale-revision', 'invalid', 'refused-by-daemon', 'unknown-server', 'busy', 'failed',
] as const;
export type RefusalReason = (typeof refusalReasons)[number];

export const RefusalSchema = Type.Object({
	reason: literals(refusalReasons),
	message: Type.String(),
	errors: Type.Optional(Type.Array(FieldErrorSchema)),
}, { additionalProperties: false });
export type Refusal = Static<typeof RefusalSchema>;

/** The HTTP status each refusal travels with. */
export const refusalStatus: Record<RefusalReason, number> = {
	malformed: 400, 'no-certificate': 401, 'not-paired': 403, 'wrong-identity': 403, 'no-offer': 403, expired: 403, 'wrong-code': 403,
	'already-paired': 409, 'same-role': 409, 'version-mismatch': 409, 'not-secondary': 409, 'not-primary': 409, 'stale-revision': 409,
	invalid: 422, 'refused-by-daemon': 422, 'unknown-server': 422, busy: 503, failed: 500,
};

/** A refusal raised by a peer handler (and the client's view of one the peer answered). */
export class PeerRefusal extends Error {
	override readonly name = 'PeerRefusal';
	constructor(readonly reason: RefusalReason, message: string, readonly errors: Refusal['errors'] = undefined) {
		super(message);
	}

	toBody(): Refusal {
		return { reason: this.reason, message: this.message, ...(this.errors === undefined || this.errors.length === 0 ? {} : { errors: this.errors }) };
	}
}

/** The routes: method, path, request body schema (null: none), response schema. */
export const peerRoutes = {
	pair: { method: 'POST', path: '/peer/v1/pair', request: PairRequestSchema, response: PairResponseSchema },
	unpair: { method: 'POST', path: '/peer/v1/unpair', request: Empty, response: Empty },
	state: { method: 'GET', path: '/peer/v1/state', request: null, response: PeerStateSchema },
	sync: { method: 'POST', path: '/peer/v1/sync', request: SyncRequestSchema, response: SyncResponseSchema },
	syncRequest: { method: 'POST', path: '/peer/v1/sync-request', request: Empty, response: Empty },
	serverState: { method: 'POST', path: '/peer/v1/server-state', request: ServerStateRequestSchema, response: Empty },
} as const;
export type PeerRouteName = keyof typeof peerRoutes;

export type PairRequest = Static<typeof PairRequestSchema>;
export type PairResponse = Static<typeof PairResponseSchema>;
export type PeerState = Static<typeof PeerStateSchema>;
export type SyncRequest = Static<typeof SyncRequestSchema>;
export type SyncResponse = Static<typeof SyncResponseSchema>;
export type ServerStateRequest = Static<typeof ServerStateRequestSchema>;
type Nothing = Record<string, never>;

/** Each route's request and answer bodies (the schemas' static types, spelled out for the compiler). */
interface PeerMessages {
	readonly pair: { readonly request: PairRequest; readonly response: PairResponse };
	readonly unpair: { readonly request: Nothing; readonly response: Nothing };
	readonly state: { readonly request: undefined; readonly response: PeerState };
	readonly sync: { readonly request: SyncRequest; readonly response: SyncResponse };
	readonly syncRequest: { readonly request: Nothing; readonly response: Nothing };
	readonly serverState: { readonly request: ServerStateRequest; readonly response: Nothing };
}
export type RequestOf<N extends PeerRouteName> = PeerMessages[N]['request'];
export type ResponseOf<N extends PeerRouteName> = PeerMessages[N]['response'];

/** Largest request body the peer server reads (a shared part with 16 certificates fits many times over). */
export const maxPeerBodyBytes = 2 * 1024 * 1024;
