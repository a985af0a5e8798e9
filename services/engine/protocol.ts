// The fixed set of operations the root engine (exlb-engine.service) performs for the unprivileged web server,
// reached over its unix socket. Each has a TypeBox schema for its parameters and its result: the engine checks
// every request against them before anything runs, the web API's route schemas and its OpenAPI document are
// built from the same ones. Nothing else can be asked of the engine: an unknown operation is refused by name.
import type { Readable } from 'node:stream';
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { CertificateSchema, ConfigSchema } from '../config/schema.js';
import { installSteps } from '../firmware/install.js';
import { revisionSources } from '../history/store.js';
import { haOperations } from './ha-operations.js';

const literals = <const T extends readonly string[]>(values: T, description?: string) =>
	Type.Union(values.map((value) => Type.Literal(value)), description === undefined ? {} : { description }) as unknown as TUnion<TLiteral<T[number]>[]>;

/** Who asked, recorded in the audit log (never a secret). */
export const ActorSchema = Type.Object({
	user: Type.String({ maxLength: 64, pattern: '^[\\x21-\\x7e]*$', description: 'account name, or the token\'s name' }),
	address: Type.String({ maxLength: 64, pattern: '^[0-9a-fA-F.:]*$', description: 'the client\'s address' }),
	via: literals(['web', 'token', 'cli', 'console', 'boot', 'peer'] as const, 'the front end that made the request (peer: the HA pair\'s other node)'),
}, { additionalProperties: false });
export type Actor = Static<typeof ActorSchema>;

export const FieldErrorSchema = Type.Object({
	path: Type.String({ description: 'the config field (dotted path) or request field the message is about; "" for the whole' }),
	message: Type.String(),
}, { additionalProperties: false });
export type FieldError = Static<typeof FieldErrorSchema>;

/** Why an operation was refused: what the web API turns into its status code and error body. */
export const problemKinds = ['invalid', 'refused-by-daemon', 'conflict', 'busy', 'not-found', 'unauthorized', 'too-many', 'failed'] as const;
export type ProblemKind = (typeof problemKinds)[number];
export const ProblemSchema = Type.Object({
	kind: literals(problemKinds),
	message: Type.String(),
	errors: Type.Optional(Type.Array(FieldErrorSchema)),
	retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: false });
export type Problem = Static<typeof ProblemSchema>;

const Empty = Type.Object({}, { additionalProperties: false });
const Etag = Type.String({ description: 'version tag of the running configuration (an HTTP entity tag, quoted)' });
const Password = Type.String({ minLength: 1, maxLength: 1024 });
const Username = Type.String({ minLength: 1, maxLength: 64 });

export const DaemonChangesSchema = Type.Object({
	started: Type.Array(Type.String()),
	reloaded: Type.Array(Type.String()),
	stopped: Type.Array(Type.String()),
}, { additionalProperties: false, description: 'what the apply did to each daemon' });

export const AppliedConfigSchema = Type.Object({
	config: ConfigSchema,
	etag: Etag,
	warnings: Type.Array(FieldErrorSchema),
	daemons: DaemonChangesSchema,
	/** Set when the change moved the appliance's own address: confirm from there before the deadline or it is undone. */
	pendingNetwork: Type.Optional(Type.Object({
		url: Type.String({ description: 'the web interface at the new address' }),
		deadline: Type.String({ description: 'ISO 8601 time after which the previous network settings come back' }),
	}, { additionalProperties: false })),
}, { additionalProperties: false });

export const CertificateViewSchema = Type.Object({
	name: CertificateSchema.properties.name,
	commonName: Type.String(),
	altNames: Type.Array(Type.String(), { description: 'subject alternative names (DNS and IP)' }),
	notBefore: Type.String(),
	notAfter: Type.String(),
	daysLeft: Type.Integer({ description: 'whole days until notAfter (negative: expired)' }),
	selfSigned: Type.Boolean(),
	fingerprint: Type.String(),
	usedBy: Type.Array(Type.String(), { description: 'config fields that name this certificate' }),
	generated: Type.Boolean({ description: 'made on the appliance (the self-signed certificate) rather than imported' }),
}, { additionalProperties: false });
export type CertificateView = Static<typeof CertificateViewSchema>;

export const ServiceNameSchema = literals(['system', 'vrrp', 'haproxy', 'stunnel'] as const, 'the original appliance\'s four services');
export const ServiceViewSchema = Type.Object({
	name: ServiceNameSchema,
	status: literals(['OK', 'NOK'] as const),
	running: Type.Boolean(),
	enabled: Type.Boolean({ description: 'needed by the configuration (stunnel: a TLS offload; vrrp: an HA role)' }),
	startup: literals(['auto', 'manual'] as const),
	units: Type.Array(Type.Object({ unit: Type.String(), state: Type.String() }, { additionalProperties: false })),
}, { additionalProperties: false });

export const SystemInfoSchema = Type.Object({
	hostname: Type.String(),
	version: Type.String(),
	buildDate: Type.String(),
	model: Type.String(),
	uuid: Type.String({ description: 'the virtual machine\'s DMI product UUID' }),
	ethid: Type.String({ description: 'MAC address of the service interface' }),
	time: Type.String(),
	uptimeSeconds: Type.Number(),
	memory: Type.Object({ totalBytes: Type.Number(), availableBytes: Type.Number() }, { additionalProperties: false }),
}, { additionalProperties: false });

export const AuditEntrySchema = Type.Object({
	time: Type.String(),
	actor: ActorSchema,
	operation: Type.String(),
	paths: Type.Array(Type.String(), { description: 'config fields that changed (never their secret values)' }),
	outcome: literals(['done', 'refused'] as const),
	message: Type.Optional(Type.String()),
}, { additionalProperties: false });

export const TokenViewSchema = Type.Object({
	id: Type.String(),
	name: Type.String(),
	created: Type.String(),
	lastUsed: Type.Union([Type.String(), Type.Null()]),
}, { additionalProperties: false });

export const CommentSchema = Type.String({ maxLength: 200, pattern: '^[^\\x00-\\x1f\\x7f]*$', description: 'why (kept in the history; one line, at most 200 characters)' });
const RevisionId = Type.Integer({ minimum: 1, description: 'a revision number of the history' });

export const RevisionSchema = Type.Object({
	id: RevisionId,
	time: Type.String({ description: 'when it was saved (ISO 8601)' }),
	user: Type.String({ description: 'who saved it (account, token name, root, console)' }),
	source: literals(revisionSources, 'where the save came from: web, api (a token), cli, console, boot, restore, sync, reset'),
	comment: Type.String(),
	hash: Type.String({ description: 'SHA-256 of the saved configuration\'s canonical text' }),
}, { additionalProperties: false });

export const BackupManifestSchema = Type.Object({
	product: Type.Literal('exlb'),
	firmwareVersion: Type.String({ maxLength: 64, description: 'the exlb version that made the backup' }),
	schemaVersion: Type.Integer({ minimum: 1, description: 'the configuration format inside' }),
	created: Type.String({ maxLength: 64, description: 'when the backup was made (ISO 8601)' }),
	hostname: Type.String({ maxLength: 253 }),
	containsPrivateKeys: Type.Boolean({ description: 'true: the file holds certificate keys and is encrypted' }),
}, { additionalProperties: false, description: 'what a backup file says about itself (readable without the password, authenticated with it)' });

export const resetLevels = ['configuration', 'everything'] as const;
export type ResetLevel = (typeof resetLevels)[number];

const Series = Type.Array(Type.Union([Type.Number(), Type.Null()]), { description: 'one value per sample time; null: not measured then' });
export const TrafficHistorySchema = Type.Object({
	intervalSeconds: Type.Number({ description: 'seconds between two samples' }),
	times: Type.Array(Type.Number(), { description: 'sample times, milliseconds since the epoch, oldest first (the last hour at most)' }),
	services: Type.Array(Type.Object({
		service: Type.String({ description: 'owa, ecp, oab, autodiscover, ews, activesync, outlookAnywhere, mapi, https (ssl-forward), imap, pop3, smtp or rpc' }),
		sessions: Series,
		requestsPerSecond: Series,
	}, { additionalProperties: false })),
	servers: Type.Array(Type.Object({ address: Type.String(), sessions: Series, requestsPerSecond: Series }, { additionalProperties: false })),
}, { additionalProperties: false });

const SlotNameSchema = literals(['A', 'B'] as const, 'a system slot');

export const FirmwareSlotSchema = Type.Object({
	slot: SlotNameSchema,
	status: literals(['good', 'trying', 'bad'] as const,
		'good: booted and passed its health checks; trying: installed, on trial for triesLeft more boots; bad: empty, half written, or failed its tries'),
	triesLeft: Type.Optional(Type.Integer({ minimum: 0, description: 'boots left to pass the health checks (trying only)' })),
	version: Type.Optional(Type.String({ description: 'the firmware version written there, when known' })),
	booted: Type.Boolean({ description: 'the running system came from this slot' }),
	next: Type.Boolean({ description: 'the boot loader starts this slot at the next boot' }),
}, { additionalProperties: false });

export const FirmwareInstallSchema = Type.Object({
	state: literals(['running', 'done', 'failed'] as const),
	user: Type.String({ description: 'who started it' }),
	started: Type.String({ description: 'ISO 8601' }),
	finished: Type.Optional(Type.String({ description: 'ISO 8601' })),
	slot: SlotNameSchema,
	bytes: Type.Integer({ minimum: 0, description: 'bundle bytes the appliance has read so far' }),
	version: Type.Optional(Type.String({ description: 'the bundle\'s version, once its manifest is verified' })),
	steps: Type.Array(Type.Object({
		step: literals(installSteps, 'verified: signature, compatible string and version policy; written: the payload is in the slot; read back: the slot hashed again matches; marked: the slot boots next'),
		time: Type.String({ description: 'ISO 8601' }),
	}, { additionalProperties: false }), { description: 'the steps done so far, in order' }),
	tries: Type.Optional(Type.Integer({ minimum: 1, description: 'boots the new slot gets to pass its health checks (once marked)' })),
	problem: Type.Optional(ProblemSchema),
}, { additionalProperties: false, description: 'the install running now, or the last one since the engine started' });

export const FirmwareStatusSchema = Type.Object({
	booted: SlotNameSchema,
	next: SlotNameSchema,
	slots: Type.Array(FirmwareSlotSchema, { description: 'slot A, then slot B' }),
	rolledBackFrom: Type.Optional(Type.Object({ slot: SlotNameSchema, version: Type.Optional(Type.String()) }, {
		additionalProperties: false,
		description: 'the appliance came back on the other slot by itself: this slot never passed its health checks (cleared by the next install)',
	})),
	install: Type.Union([FirmwareInstallSchema, Type.Null()]),
}, { additionalProperties: false });

function operation<P extends TSchema, R extends TSchema>(params: P, result: R, description: string) {
	return { params, result, description };
}

const Patch = Type.Object({}, { additionalProperties: true, description: 'a JSON merge patch (RFC 7396) of the configuration' });

export const operations = {
	'config.get': operation(Type.Object({ source: literals(['running', 'saved'] as const) }, { additionalProperties: false }),
		Type.Object({ config: Type.Union([ConfigSchema, Type.Null()]), etag: Type.Union([Etag, Type.Null()]) }, { additionalProperties: false }),
		'the running configuration, or the saved one (null: nothing saved, factory settings)'),
	'config.diff': operation(Empty,
		Type.Object({
			saved: Type.Boolean({ description: 'false: nothing is saved, the running configuration is compared with the factory settings' }),
			changes: Type.Array(Type.Object({ path: Type.String(), saved: Type.Unknown(), running: Type.Unknown() }, { additionalProperties: false })),
		}, { additionalProperties: false }),
		'each field where the running configuration differs from the saved one'),
	'config.check': operation(Type.Object({ patch: Patch }, { additionalProperties: false }),
		Type.Object({ config: ConfigSchema, warnings: Type.Array(FieldErrorSchema) }, { additionalProperties: false }),
		'validates the patched configuration and runs the daemons\' own checks on its rendering, without applying it'),
	'config.patch': operation(Type.Object({ patch: Patch, ifMatch: Type.Optional(Etag) }, { additionalProperties: false }), AppliedConfigSchema,
		'applies a merge patch to the running configuration (checked first; refused whole or applied whole)'),
	'config.save': operation(Type.Object({ comment: Type.Optional(CommentSchema) }, { additionalProperties: false }),
		Type.Object({ etag: Etag, revision: RevisionId }, { additionalProperties: false }),
		'the running configuration becomes the saved one, kept as a new revision of the history'),
	'history.list': operation(Empty, Type.Object({ revisions: Type.Array(RevisionSchema) }, { additionalProperties: false }),
		'the saved configuration\'s revisions, newest first (at most 60 are kept)'),
	'history.diff': operation(Type.Object({ from: RevisionId, to: RevisionId }, { additionalProperties: false }),
		Type.Object({
			from: RevisionId, to: RevisionId,
			changes: Type.Array(Type.Object({ path: Type.String(), from: Type.Unknown(), to: Type.Unknown() }, { additionalProperties: false })),
		}, { additionalProperties: false }),
		'each field where revision "to" differs from revision "from"'),
	'history.revert': operation(Type.Object({
		id: RevisionId,
		includeNetwork: Type.Optional(Type.Boolean({ description: 'also take the revision\'s network settings and HA role (default: keep the current ones)' })),
		comment: Type.Optional(CommentSchema),
	}, { additionalProperties: false }),
	Type.Object({
		revision: RevisionId, config: ConfigSchema, etag: Etag, warnings: Type.Array(FieldErrorSchema), daemons: DaemonChangesSchema,
	}, { additionalProperties: false }),
	'applies a revision (checked by the daemons first) and saves it as a new revision'),
	'backup.create': operation(Type.Object({
		password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024, description: 'encrypts the file (AES-256-GCM, key from scrypt); required when it holds certificate keys' })),
	}, { additionalProperties: false }),
	Type.Object({
		fileName: Type.String(), contentBase64: Type.String({ description: 'the backup file' }), manifest: BackupManifestSchema,
	}, { additionalProperties: false }),
	'the saved configuration, the imported certificates with their keys and the history\'s metadata in one file'),
	'backup.restore': operation(Type.Object({
		contentBase64: Type.String({ maxLength: 900_000, pattern: '^[A-Za-z0-9+/=]*$' }),
		password: Type.Optional(Password),
		includeNetwork: Type.Optional(Type.Boolean({ description: 'also restore the network settings and HA role (default: keep this appliance\'s)' })),
	}, { additionalProperties: false }),
	Type.Object({
		revision: RevisionId, manifest: BackupManifestSchema, etag: Etag, warnings: Type.Array(FieldErrorSchema), daemons: DaemonChangesSchema,
		history: Type.Array(RevisionSchema, { description: 'the history of the appliance the backup came from (metadata only)' }),
	}, { additionalProperties: false }),
	'decrypts and checks a backup, applies it (the daemons check it first; a failure puts everything back) and saves it as a new revision'),
	'network.confirm': operation(Type.Object({
		serverAddress: Type.String({ maxLength: 64, pattern: '^[0-9a-fA-F.:]*$', description: 'the appliance address the confirming request reached' }),
	}, { additionalProperties: false }), Type.Object({ confirmed: Type.Boolean() }, { additionalProperties: false }),
		'keeps a network change that moved the appliance\'s address (must come from the new address)'),
	'certificates.list': operation(Empty, Type.Object({ certificates: Type.Array(CertificateViewSchema) }, { additionalProperties: false }), 'certificates on the appliance'),
	'certificates.import': operation(Type.Object({
		name: CertificateSchema.properties.name,
		pem: Type.Optional(Type.String({ maxLength: 65536 })),
		pfxBase64: Type.Optional(Type.String({ maxLength: 87384, pattern: '^[A-Za-z0-9+/=]*$' })),
		password: Type.Optional(Type.String({ maxLength: 1024 })),
	}, { additionalProperties: false }),
	Type.Object({ certificate: CertificateViewSchema, warnings: Type.Array(FieldErrorSchema) }, { additionalProperties: false }),
	'imports a .pem (key + chain) or .pfx (with its password) under a name'),
	'certificates.delete': operation(Type.Object({ name: CertificateSchema.properties.name }, { additionalProperties: false }), Empty,
		'removes a certificate no service uses'),
	'certificates.csr': operation(Type.Object({
		name: CertificateSchema.properties.name,
		commonName: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9*.-]+$' }),
		altNames: Type.Array(Type.String({ maxLength: 253, pattern: '^[A-Za-z0-9*.-]+$' }), { maxItems: 32 }),
	}, { additionalProperties: false }), Type.Object({ csr: Type.String() }, { additionalProperties: false }),
	'makes a key pair on the appliance and returns a certificate signing request (the key never leaves the appliance)'),
	'status.get': operation(Empty, Type.Unknown(), 'daemons, VRRP, and each backend\'s servers'),
	'status.history': operation(Empty, TrafficHistorySchema,
		'current sessions and requests per second (HTTP requests, or new sessions for TCP services) per Exchange service and per Exchange server over the last hour, sampled in the engine\'s memory'),
	'servers.setState': operation(Type.Object({
		role: literals(['cas', 'hub'] as const),
		index: Type.Integer({ minimum: 1, maximum: 4 }),
		state: literals(['ready', 'drain', 'maint'] as const),
		maintAfterSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
	}, { additionalProperties: false }), Type.Unknown(), 'puts one Exchange server into drain or maintenance in every backend that uses it, or back'),
	'services.list': operation(Empty, Type.Object({ services: Type.Array(ServiceViewSchema) }, { additionalProperties: false }), 'the four services'),
	'services.control': operation(Type.Object({ name: ServiceNameSchema, action: literals(['start', 'stop', 'restart', 'reload'] as const) }, { additionalProperties: false }),
		Type.Object({ service: ServiceViewSchema }, { additionalProperties: false }), 'starts, stops, restarts or reloads a service (system restart = reboot)'),
	'system.info': operation(Empty, SystemInfoSchema, 'what the setup tab shows about the appliance'),
	'system.reboot': operation(Empty, Empty, 'reboots the appliance'),
	'system.powerOff': operation(Empty, Empty, 'powers the appliance off'),
	'system.factoryReset': operation(Type.Object({
		level: literals(resetLevels, 'configuration (default): load-balancing settings, certificates, history, web accounts and tokens erased, '
			+ 'the network settings kept; everything: the data partition is re-created at the next boot, then the first-boot prompt'),
	}, { additionalProperties: false }), Empty,
	'back to factory settings at one of two levels; neither touches the firmware'),
	'firmware.status': operation(Empty, FirmwareStatusSchema,
		'both system slots (version, state, tries left), the one running, the one booting next, the last automatic rollback, and the current or last install'),
	'firmware.install': operation(Type.Object({
		force: Type.Optional(Type.Boolean({ description: 'allow a bundle older than the running firmware (a downgrade)' })),
	}, { additionalProperties: false }), FirmwareStatusSchema,
	'installs an update bundle into the slot not running: verified (signature, compatible string, version policy) before anything is written, streamed '
		+ 'into the slot while hashed, read back and hashed again, then marked to boot next with 3 tries; one install at a time'),
	'firmware.bootPrevious': operation(Empty, FirmwareStatusSchema,
		'the other slot than the one booting next becomes the one booting next; only a good slot (one that booted and passed its checks)'),
	'auth.login': operation(Type.Object({ username: Username, password: Password }, { additionalProperties: false }),
		Type.Object({ ok: Type.Boolean(), passwordChangeRequired: Type.Boolean() }, { additionalProperties: false }),
		'checks a web login (scrypt); passwordChangeRequired while the factory password is in use'),
	'auth.changePassword': operation(Type.Object({ username: Username, current: Password, new: Password }, { additionalProperties: false }), Empty,
		'changes the web admin password (the current one is required)'),
	'tokens.list': operation(Empty, Type.Object({ tokens: Type.Array(TokenViewSchema) }, { additionalProperties: false }), 'API tokens (never the token itself)'),
	'tokens.create': operation(Type.Object({ name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9 ._-]+$' }) }, { additionalProperties: false }),
		Type.Object({ token: TokenViewSchema, secret: Type.String({ description: 'shown once; only its hash is kept' }) }, { additionalProperties: false }),
		'creates an API token for automation'),
	'tokens.revoke': operation(Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false }), Empty, 'revokes an API token'),
	'tokens.verify': operation(Type.Object({ secret: Type.String({ maxLength: 256 }) }, { additionalProperties: false }),
		Type.Object({ token: Type.Union([TokenViewSchema, Type.Null()]) }, { additionalProperties: false }), 'the token a bearer secret belongs to, or null'),
	'audit.list': operation(Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000 }) }, { additionalProperties: false }),
		Type.Object({ entries: Type.Array(AuditEntrySchema) }, { additionalProperties: false }), 'the latest state changes, newest first'),
	...haOperations,
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type ParamsOf<N extends OperationName> = Static<Operations[N]['params']>;
export type ResultOf<N extends OperationName> = Static<Operations[N]['result']>;

export const operationNames = Object.keys(operations) as OperationName[];

/** One request on the engine socket: a JSON object on one line. */
export interface EngineRequest {
	readonly id: number;
	readonly op: string;
	readonly actor: unknown;
	readonly params: unknown;
}

export type EngineResponse =
	| { readonly id: number; readonly ok: true; readonly result: unknown }
	| { readonly id: number; readonly ok: false; readonly problem: Problem };

/** Longest request line the engine reads (a backup file of at most 640 KiB in base64 plus its envelope). */
export const maxRequestBytes = 1024 * 1024;

/**
 * Operations whose request line is followed, on a connection of its own, by the bytes of one stream (an update
 * bundle) up to the end of the client's side; the answer comes once the engine has done with it (it may come early:
 * a refusal, and the client then stops sending).
 */
export type StreamOperationName = 'firmware.install';
export const streamOperations: ReadonlySet<string> = new Set<StreamOperationName>(['firmware.install']);

/** What a handler gets besides its parameters and actor: the body of a stream operation, nothing for the others. */
export type BodyArgs<N extends OperationName> = N extends StreamOperationName ? [body: Readable] : [];

/** Operations that change nothing: they run at once, beside a change in progress (a dashboard keeps polling). */
export const readOnlyOperations: ReadonlySet<OperationName> = new Set<OperationName>([
	'config.get', 'config.diff', 'history.list', 'history.diff', 'certificates.list', 'status.get', 'status.history', 'services.list', 'system.info', 'tokens.list',
	'tokens.verify', 'audit.list', 'auth.login', 'firmware.status', 'ha.status',
]);
