// The saved configuration's history on the data partition: one file per revision (metadata + the configuration as
// it was saved), numbered upwards, at most `limit` kept (the oldest go first). Written atomically; the appliance
// service records a revision on every save, under the apply lock, so two writers never race for a number.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseConfigText, serializeConfig } from '../config/store.js';
import type { Config } from '../config/schema.js';
import { writeFileAtomic } from '../fs/atomic-write.js';

/** Where a save came from: the front end (web session, API token, CLI, console, boot) or the operation that made it. */
export const revisionSources = ['web', 'api', 'cli', 'console', 'boot', 'restore', 'sync', 'reset'] as const;
export type RevisionSource = (typeof revisionSources)[number];

export interface RevisionMeta {
	/** 1, 2, 3...: never reused while the history exists (a factory reset starts it again). */
	readonly id: number;
	readonly time: string;
	readonly user: string;
	readonly source: RevisionSource;
	readonly comment: string;
	/** SHA-256 (hex) of the configuration's canonical text. */
	readonly hash: string;
}

export interface Revision extends RevisionMeta {
	readonly config: Config;
}

/** The revisions kept on /data (OPNsense's default backup count). */
export const defaultRevisionLimit = 60;

export class HistoryError extends Error {
	override readonly name: string = 'HistoryError';
}

export class RevisionNotFoundError extends HistoryError {
	override readonly name: string = 'RevisionNotFoundError';
	constructor(readonly id: number) {
		super(`revision ${id} is not in the history (it was never made, or it was pruned)`);
	}
}

const fileName = (id: number) => `${String(id).padStart(6, '0')}.json`;
const filePattern = /^(\d{6,})\.json$/;

export function configHash(config: Config): string {
	return createHash('sha256').update(serializeConfig(config)).digest('hex');
}

export class ConfigHistory {
	constructor(readonly dir: string, readonly limit: number = defaultRevisionLimit, private readonly now: () => Date = () => new Date()) {}

	/** Revision numbers on disk, oldest first. */
	async #ids(): Promise<number[]> {
		const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return [] as string[];
			throw new HistoryError(`cannot read ${this.dir}: ${error.message}`, { cause: error });
		});
		return names.flatMap((name) => {
			const match = filePattern.exec(name);
			return match === null ? [] : [Number(match[1])];
		}).sort((a, b) => a - b);
	}

	/** Keeps `config` as the newest revision and prunes the oldest beyond the limit. */
	async record(config: Config, meta: Pick<RevisionMeta, 'user' | 'source' | 'comment'>): Promise<RevisionMeta> {
		const ids = await this.#ids();
		const revision: RevisionMeta = { id: (ids.at(-1) ?? 0) + 1, time: this.now().toISOString(), ...meta, hash: configHash(config) };
		await writeFileAtomic(path.join(this.dir, fileName(revision.id)), `${JSON.stringify({ ...revision, config }, null, '\t')}\n`, { mode: 0o600 });
		const excess = ids.length + 1 - this.limit;
		for (const id of ids.slice(0, Math.max(0, excess))) await rm(path.join(this.dir, fileName(id)), { force: true });
		return revision;
	}

	/** One revision with its configuration (migrated to the current format if an older version saved it). */
	async get(id: number): Promise<Revision> {
		const file = path.join(this.dir, fileName(id));
		const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') throw new RevisionNotFoundError(id);
			throw new HistoryError(`cannot read ${file}: ${error.message}`, { cause: error });
		});
		let record: Record<string, unknown>;
		try {
			record = JSON.parse(text) as Record<string, unknown>;
		} catch (error) {
			throw new HistoryError(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
		}
		const { config } = parseConfigText(JSON.stringify(record.config), `${file} (config)`);
		return { ...metaOf(record, file), config };
	}

	/** Every revision's metadata, newest first. */
	async list(): Promise<RevisionMeta[]> {
		const metas = await Promise.all((await this.#ids()).map(async (id) => {
			const file = path.join(this.dir, fileName(id));
			const text = await readFile(file, 'utf8');
			try {
				return metaOf(JSON.parse(text) as Record<string, unknown>, file);
			} catch (error) {
				throw new HistoryError(`${file}: not a revision (${(error as Error).message})`, { cause: error });
			}
		}));
		return metas.reverse();
	}

	/** Erases the history (factory reset). */
	async clear(): Promise<void> {
		await rm(this.dir, { recursive: true, force: true });
	}
}

function metaOf(record: Record<string, unknown>, file: string): RevisionMeta {
	const { id, time, user, source, comment, hash } = record;
	if (typeof id !== 'number' || typeof time !== 'string' || typeof user !== 'string' || typeof comment !== 'string' || typeof hash !== 'string'
		|| !revisionSources.includes(source as RevisionSource)) {
		throw new HistoryError(`${file}: the revision's metadata (id, time, user, source, comment, hash) is incomplete or wrong`);
	}
	return { id, time, user, source: source as RevisionSource, comment, hash };
}
