// Every state change, who made it, from where, which fields: one JSON line to the journal (stderr of the engine)
// and to a bounded file on the data partition that the API reads back. Values are never logged: field paths only,
// so a password or a key cannot end up here.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { Actor } from '../engine/protocol.js';

export interface AuditEntry {
	readonly time: string;
	readonly actor: Actor;
	readonly operation: string;
	readonly paths: readonly string[];
	readonly outcome: 'done' | 'refused';
	readonly message?: string;
}

/** Entries kept on /data: the file is cut back to this many when it grows half as large again. */
const keptEntries = 1000;

export class AuditLog {
	#writing: Promise<void> = Promise.resolve();

	constructor(readonly file: string, private readonly journal: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

	record(entry: AuditEntry): Promise<void> {
		this.journal(`exlb-audit: ${JSON.stringify(entry)}`);
		// Appends are serialised so a trim never races an append.
		this.#writing = this.#writing.then(() => this.#append(entry)).catch((error: unknown) => {
			this.journal(`exlb-audit: could not write ${this.file}: ${(error as Error).message}`);
		});
		return this.#writing;
	}

	async #append(entry: AuditEntry): Promise<void> {
		await mkdir(path.dirname(this.file), { recursive: true });
		await appendFile(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
		const lines = await this.#lines();
		if (lines.length > keptEntries * 1.5) await writeFileAtomic(this.file, `${lines.slice(-keptEntries).join('\n')}\n`, { mode: 0o600 });
	}

	async #lines(): Promise<string[]> {
		const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return '';
			throw error;
		});
		return text.split('\n').filter(Boolean);
	}

	/** The latest entries, newest first. */
	async latest(limit: number): Promise<AuditEntry[]> {
		await this.#writing;
		return (await this.#lines()).slice(-limit).reverse().map((line) => JSON.parse(line) as AuditEntry);
	}
}
