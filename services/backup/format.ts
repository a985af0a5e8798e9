// The backup file: one JSON header line, then the body. The header names the format, carries the manifest (product,
// firmware version, configuration schema version, ...) and, for an encrypted file, the encryption parameters; it is
// readable without the password and authenticated with it (GCM additional data). The body is the contents as JSON:
// the saved configuration, the imported certificates with their keys, the history's metadata. A file holding keys
// is always encrypted; one without may be plain, its body then checked against the SHA-256 in the header.
import { createHash } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CertificateSchema } from '../config/schema.js';
import { BackupManifestSchema, RevisionSchema } from '../engine/protocol.js';
import { newParams, open, seal, type EncryptionParams } from './crypto.js';
import { BackupError } from './errors.js';

export type BackupManifest = Static<typeof BackupManifestSchema>;

/** Largest backup file read or written (16 certificates of 32 KiB, the configuration, 60 revisions' metadata). */
export const maxBackupBytes = 640 * 1024;
const maxHeaderBytes = 8 * 1024;
const formatName = 'exlb-backup';
const formatVersion = 1;

export const BackupContentsSchema = Type.Object({
	/** The saved configuration as it was written (migrated and validated on restore). */
	config: Type.Object({}, { additionalProperties: true }),
	certificates: Type.Array(Type.Object({
		name: CertificateSchema.properties.name,
		pem: Type.String({ maxLength: 64 * 1024, description: 'private key, certificate, chain' }),
	}, { additionalProperties: false }), { maxItems: 16 }),
	history: Type.Array(RevisionSchema, { maxItems: 1000 }),
}, { additionalProperties: false });
export type BackupContents = Static<typeof BackupContentsSchema>;

const EncryptionSchema = Type.Object({
	cipher: Type.Literal('aes-256-gcm'), kdf: Type.Literal('scrypt'),
	N: Type.Integer(), r: Type.Integer(), p: Type.Integer(), salt: Type.String({ maxLength: 64 }), iv: Type.String({ maxLength: 64 }),
}, { additionalProperties: false });

const HeaderSchema = Type.Object({
	format: Type.Literal(formatName),
	formatVersion: Type.Literal(formatVersion),
	manifest: BackupManifestSchema,
	encryption: Type.Union([EncryptionSchema, Type.Null()]),
	/** A plain file's body checksum (an encrypted one has its GCM tag). */
	bodySha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
}, { additionalProperties: false });
type Header = Static<typeof HeaderSchema>;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The first error TypeBox finds, as "field: message". */
function firstError(schema: Parameters<typeof Value.Errors>[0], value: unknown, prefix: string): BackupError | null {
	const [error] = Value.Errors(schema, value);
	if (error === undefined) return null;
	const field = `${prefix}${error.path.replaceAll('/', '.')}`;
	return new BackupError(field, `${error.message}${error.value === undefined ? '' : ` (found ${JSON.stringify(error.value)?.slice(0, 80)})`}`);
}

/** The file for `contents`; `password` null writes a plain file, refused when the contents hold private keys. */
export async function encodeBackup(manifest: BackupManifest, contents: BackupContents, password: string | null, cost?: { N: number; r: number; p: number }): Promise<Buffer> {
	if (manifest.containsPrivateKeys && password === null) throw new BackupError('password', 'is required: the backup holds certificate keys and is always encrypted');
	const body = Buffer.from(JSON.stringify(contents));
	const encryption: EncryptionParams | null = password === null ? null : newParams(cost);
	const header: Header = { format: formatName, formatVersion, manifest, encryption, ...(encryption === null ? { bodySha256: sha256(body) } : {}) };
	const headerBytes = Buffer.from(`${JSON.stringify(header)}\n`);
	const file = Buffer.concat([headerBytes, encryption === null ? body : await seal(body, password!, encryption, headerBytes)]);
	if (file.length > maxBackupBytes) throw new BackupError('file', `would be ${file.length} bytes, more than the ${maxBackupBytes} a backup may have`);
	return file;
}

/** The header alone: what the file says it is, before any password is asked for. */
export function readManifest(file: Uint8Array): BackupManifest {
	return readHeader(file).header.manifest;
}

function readHeader(file: Uint8Array): { header: Header; headerBytes: Buffer; body: Buffer } {
	const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
	if (bytes.length > maxBackupBytes) throw new BackupError('file', `is ${bytes.length} bytes, more than the ${maxBackupBytes} a backup may have`);
	const end = bytes.subarray(0, maxHeaderBytes).indexOf(0x0a);
	if (end < 0) throw new BackupError('file', bytes.length < maxHeaderBytes ? 'is truncated or not an exlb backup (no header line)' : 'is not an exlb backup (no header line)');
	let header: unknown;
	try {
		header = JSON.parse(bytes.subarray(0, end).toString('utf8'));
	} catch (error) {
		throw new BackupError('file', 'is not an exlb backup (its first line is not JSON)', { cause: error });
	}
	if (typeof header !== 'object' || header === null || (header as { format?: unknown }).format !== formatName) throw new BackupError('file', 'is not an exlb backup (format is not "exlb-backup")');
	const wrong = firstError(HeaderSchema, header, 'header');
	if (wrong !== null) throw wrong;
	return { header: header as Header, headerBytes: bytes.subarray(0, end + 1), body: bytes.subarray(end + 1) };
}

/** Reads, authenticates and decrypts a backup file; every refusal names the field of the file it is about. */
export async function decodeBackup(file: Uint8Array, password: string | null): Promise<{ manifest: BackupManifest; contents: BackupContents }> {
	const { header, headerBytes, body } = readHeader(file);
	let plain: Buffer;
	if (header.encryption === null) {
		if (header.manifest.containsPrivateKeys) throw new BackupError('encryption', 'is missing: a backup with certificate keys is always encrypted');
		if (header.bodySha256 !== sha256(body)) throw new BackupError('file', 'was changed or truncated (its checksum does not match); nothing was restored');
		plain = body;
	} else {
		if (password === null || password === '') throw new BackupError('password', 'is required: this backup is encrypted');
		plain = await open(body, password, header.encryption, headerBytes);
	}
	let contents: unknown;
	try {
		contents = JSON.parse(plain.toString('utf8'));
	} catch (error) {
		throw new BackupError('file', 'its contents are not JSON', { cause: error });
	}
	const wrong = firstError(BackupContentsSchema, contents, 'contents');
	if (wrong !== null) throw wrong;
	const parsed = contents as BackupContents;
	if (!header.manifest.containsPrivateKeys && parsed.certificates.length > 0) throw new BackupError('manifest.containsPrivateKeys', 'is false but the file holds certificates');
	return { manifest: header.manifest, contents: parsed };
}
