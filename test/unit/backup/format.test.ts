// The backup file on its own: the encrypted round trip, and every refusal naming what is wrong: a wrong or missing
// password, a byte changed in the body or in the header, a truncated file, a foreign file, an absurd scrypt cost,
// keys without a password, a plain file whose body changed.
import test from 'ava';
import { defaultConfig } from '../../../services/config/schema.js';
import { BackupError } from '../../../services/backup/errors.js';
import { decodeBackup, encodeBackup, maxBackupBytes, readManifest, type BackupContents, type BackupManifest } from '../../../services/backup/format.js';

/** The lowest cost the reader accepts: the tests stay fast, the code path is the same. */
const cost = { N: 2 ** 14, r: 8, p: 1 };
const password = 'correct horse battery';

const manifest = (containsPrivateKeys: boolean): BackupManifest => ({
	product: 'exlb', firmwareVersion: '1.2.3', schemaVersion: 2, created: '2026-12-01T10:00:00.000Z', hostname: 'lb1', containsPrivateKeys,
});
const contents: BackupContents = {
	config: defaultConfig() as unknown as Record<string, unknown>,
	certificates: [{ name: 'corp', pem: '-----BEGIN PRIVATE KEY-----\nsecret-key-material\n-----END PRIVATE KEY-----\n' }],
	history: [{ id: 1, time: '2026-12-01T09:00:00.000Z', user: 'admin', source: 'web', comment: 'first', hash: 'a'.repeat(64) }],
};

const field = (error: BackupError | undefined) => error?.field;

test('an encrypted backup reads back as it was written; the keys are not readable in the file, the manifest is', async (t) => {
	const file = await encodeBackup(manifest(true), contents, password, cost);
	t.false(file.includes('secret-key-material'), 'the key material is encrypted');
	t.false(file.includes('"casServers"'), 'so is the configuration');
	t.deepEqual(readManifest(file), manifest(true), 'the manifest is readable without the password');
	const decoded = await decodeBackup(file, password);
	t.deepEqual(decoded.contents, contents);
	t.deepEqual(decoded.manifest, manifest(true));
});

test('two backups of the same contents differ (a new salt and IV each time)', async (t) => {
	const [first, second] = [await encodeBackup(manifest(true), contents, password, cost), await encodeBackup(manifest(true), contents, password, cost)];
	t.notDeepEqual(first, second);
});

test('a wrong password is refused, and so is none', async (t) => {
	const file = await encodeBackup(manifest(true), contents, password, cost);
	const wrong = await t.throwsAsync(decodeBackup(file, 'correct horse battery!'), { instanceOf: BackupError, message: /password is wrong/ });
	t.is(field(wrong), 'password');
	t.is(field(await t.throwsAsync(decodeBackup(file, null), { instanceOf: BackupError, message: /required/ })), 'password');
});

test('a flipped byte anywhere in the body or in the header is refused', async (t) => {
	const file = await encodeBackup(manifest(true), contents, password, cost);
	const headerEnd = file.indexOf(0x0a);
	// Every 97th byte of the body (and the tag at the end), and a byte of the manifest's hostname in the header.
	const positions = [...Array.from({ length: Math.floor((file.length - headerEnd - 1) / 97) }, (_, index) => headerEnd + 1 + index * 97), file.length - 1, file.indexOf('"lb1"') + 2];
	for (const position of positions) {
		const changed = Buffer.from(file);
		changed[position]! ^= 0x01;
		await t.throwsAsync(decodeBackup(changed, password), { instanceOf: BackupError, message: /password is wrong, or the file was changed/ }, `byte ${position}`);
	}
});

test('a truncated file is refused at any length', async (t) => {
	const file = await encodeBackup(manifest(true), contents, password, cost);
	for (const length of [0, 10, file.indexOf(0x0a), file.indexOf(0x0a) + 1, file.indexOf(0x0a) + 10, file.length - 17, file.length - 1]) {
		await t.throwsAsync(decodeBackup(file.subarray(0, length), password), { instanceOf: BackupError }, `${length} bytes`);
	}
});

test('a file that is not an exlb backup is refused as such', async (t) => {
	t.is(field(await t.throwsAsync(decodeBackup(Buffer.from('{"version":2}\n{}'), null), { instanceOf: BackupError, message: /not an exlb backup/ })), 'file');
	await t.throwsAsync(decodeBackup(Buffer.from('PK\x03\x04 a zip file'), null), { instanceOf: BackupError, message: /not an exlb backup/ });
	await t.throwsAsync(decodeBackup(Buffer.alloc(maxBackupBytes + 1), null), { instanceOf: BackupError, message: /more than/ });
});

test('a header asking for an absurd scrypt cost or another cipher is refused before any key is derived', async (t) => {
	const file = await encodeBackup(manifest(true), contents, password, cost);
	const headerEnd = file.indexOf(0x0a);
	const header = JSON.parse(file.subarray(0, headerEnd).toString());
	const withHeader = (changed: unknown) => Buffer.concat([Buffer.from(`${JSON.stringify(changed)}\n`), file.subarray(headerEnd + 1)]);
	const huge = await t.throwsAsync(decodeBackup(withHeader({ ...header, encryption: { ...header.encryption, N: 2 ** 30 } }), password), { instanceOf: BackupError });
	t.is(field(huge), 'encryption.N');
	const other = await t.throwsAsync(decodeBackup(withHeader({ ...header, encryption: { ...header.encryption, cipher: 'aes-128-cbc' } }), password), { instanceOf: BackupError });
	t.regex(field(other) ?? '', /^header\.encryption/);
});

test('keys without a password are refused when writing, and a plain file claiming none but holding some is refused when reading', async (t) => {
	t.is(field(await t.throwsAsync(encodeBackup(manifest(true), contents, null, cost), { instanceOf: BackupError, message: /always encrypted/ })), 'password');
	const sneaky = await encodeBackup(manifest(false), contents, null, cost);
	t.is(field(await t.throwsAsync(decodeBackup(sneaky, null), { instanceOf: BackupError })), 'manifest.containsPrivateKeys');
});

test('a backup without keys may be plain: it reads back without a password, and a changed byte is caught by its checksum', async (t) => {
	const plain = { ...contents, certificates: [] };
	const file = await encodeBackup(manifest(false), plain, null, cost);
	t.deepEqual((await decodeBackup(file, null)).contents, plain);
	const changed = Buffer.from(file);
	changed[file.length - 5]! ^= 0x20;
	await t.throwsAsync(decodeBackup(changed, null), { instanceOf: BackupError, message: /checksum/ });
});

test('contents of the wrong shape are refused naming the field', async (t) => {
	const file = await encodeBackup(manifest(false), { ...contents, certificates: [], history: [{ ...contents.history[0]!, source: 'elsewhere' as 'web' }] }, null, cost);
	const error = await t.throwsAsync(decodeBackup(file, null), { instanceOf: BackupError });
	t.regex(field(error) ?? '', /^contents\.history\.0\.source/);
});
