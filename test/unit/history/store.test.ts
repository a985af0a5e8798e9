// The configuration history on its own: numbering, metadata, pruning to the limit (oldest first), reading a
// revision back (an older format migrated), refusals naming the revision, and clearing.
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { defaultConfig } from '../../../services/config/schema.js';
import { ConfigHistory, HistoryError, RevisionNotFoundError, configHash, defaultRevisionLimit } from '../../../services/history/store.js';

const tempHistory = async (limit?: number) => new ConfigHistory(path.join(await mkdtemp(path.join(tmpdir(), 'exlb-history-')), 'history'), limit);

const configWith = (servers: string[]) => ({ ...defaultConfig(), casServers: servers });

test('each record is a new numbered revision with its metadata and the hash of the configuration; the list is newest first', async (t) => {
	const history = await tempHistory();
	t.deepEqual(await history.list(), [], 'no history yet');
	const first = await history.record(configWith(['10.0.0.1']), { user: 'admin', source: 'web', comment: 'first' });
	const second = await history.record(configWith(['10.0.0.2']), { user: 'root', source: 'cli', comment: '' });
	t.is(first.id, 1);
	t.is(second.id, 2);
	t.is(first.hash, configHash(configWith(['10.0.0.1'])));
	t.regex(first.hash, /^[0-9a-f]{64}$/);
	t.not(first.hash, second.hash);
	t.false(Number.isNaN(Date.parse(first.time)));
	t.deepEqual((await history.list()).map((revision) => [revision.id, revision.user, revision.source, revision.comment]), [[2, 'root', 'cli', ''], [1, 'admin', 'web', 'first']]);
	t.deepEqual((await history.get(1)).config.casServers, ['10.0.0.1']);
});

test(`at most ${defaultRevisionLimit} revisions are kept: the oldest are pruned, numbers are never reused`, async (t) => {
	const history = await tempHistory();
	for (let index = 1; index <= defaultRevisionLimit + 5; index++) {
		await history.record(configWith([`10.0.${Math.floor(index / 250)}.${index % 250}`]), { user: 'admin', source: 'api', comment: `save ${index}` });
	}
	const list = await history.list();
	t.is(list.length, defaultRevisionLimit);
	t.is(list[0]?.id, defaultRevisionLimit + 5);
	t.is(list.at(-1)?.id, 6, 'revisions 1 to 5 were pruned');
	t.is((await readdir(history.dir)).length, defaultRevisionLimit, 'nothing else is left in the directory');
	await t.throwsAsync(history.get(5), { instanceOf: RevisionNotFoundError, message: /revision 5 .*pruned/ });
	t.is((await history.record(defaultConfig(), { user: 'admin', source: 'web', comment: '' })).id, defaultRevisionLimit + 6);
});

test('a smaller limit prunes down to it', async (t) => {
	const history = await tempHistory(3);
	for (let index = 1; index <= 5; index++) await history.record(configWith([`10.0.0.${index}`]), { user: 'a', source: 'console', comment: '' });
	t.deepEqual((await history.list()).map((revision) => revision.id), [5, 4, 3]);
});

test('a revision saved in an older configuration format is migrated when read', async (t) => {
	const history = await tempHistory();
	await history.record(defaultConfig(), { user: 'admin', source: 'web', comment: '' });
	const { version: _version, ...old } = { ...defaultConfig(), http: { ...defaultConfig().http, timeout: 5 } };
	await writeFile(path.join(history.dir, '000002.json'), JSON.stringify({ id: 2, time: '2025-01-01T00:00:00.000Z', user: 'admin', source: 'web', comment: 'v1', hash: 'x', config: old }));
	const revision = await history.get(2);
	t.is(revision.config.version, defaultConfig().version);
	t.is(revision.config.http.timeout, 10, 'version 1 → 2 raised the HTTP timeout');
});

test('a revision file that is not a revision is refused naming the file', async (t) => {
	const history = await tempHistory();
	await history.record(defaultConfig(), { user: 'admin', source: 'web', comment: '' });
	await writeFile(path.join(history.dir, '000002.json'), JSON.stringify({ id: 2, source: 'elsewhere' }));
	await t.throwsAsync(history.list(), { instanceOf: HistoryError, message: /000002\.json/ });
	await writeFile(path.join(history.dir, '000003.json'), '{');
	await t.throwsAsync(history.get(3), { instanceOf: HistoryError, message: /000003\.json: not valid JSON/ });
});

test('clear erases every revision and numbering starts again', async (t) => {
	const history = await tempHistory();
	await history.record(defaultConfig(), { user: 'admin', source: 'web', comment: '' });
	await history.clear();
	t.deepEqual(await history.list(), []);
	t.is((await history.record(defaultConfig(), { user: 'admin', source: 'reset', comment: '' })).id, 1);
});
