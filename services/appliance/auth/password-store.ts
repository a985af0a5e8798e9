// The web admin account: one user, "admin", whose scrypt hash lives in paths.adminPasswordFile
// (/data/config/web-admin-password). No file means the factory password admin/admin, which logs in only to change
// it (the console menu's "reset the web admin password" removes the file, and so comes back here). Runs in the
// root engine; the web server only asks.
import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import type { AppliancePaths } from '../../paths.js';
import { adminUsername } from './account.js';
import { ApplianceProblem } from '../problems.js';
import { hashPassword, normalizePassword, PasswordHashFormatError, verifyPassword } from './password-hash.js';
import { newPasswordProblem } from './password-policy.js';

const factoryPassword = 'admin';

export interface LoginCheck {
	readonly ok: boolean;
	/** True while the factory password is in use: every other request is refused until it is changed. */
	readonly passwordChangeRequired: boolean;
}

function sameText(a: string, b: string): boolean {
	const left = Buffer.from(normalizePassword(a));
	const right = Buffer.from(normalizePassword(b));
	return left.length === right.length && timingSafeEqual(left, right);
}

export class PasswordStore {
	/** Hashed once, verified against for unknown user names so that they take as long as the real one. */
	#decoy: Promise<string> | null = null;

	constructor(readonly file: string) {}

	static of(paths: AppliancePaths): PasswordStore {
		return new PasswordStore(paths.adminPasswordFile);
	}

	async check(username: string, password: string): Promise<LoginCheck> {
		const stored = await this.#storedHash();
		if (username !== adminUsername) {
			this.#decoy ??= hashPassword('a decoy nobody can log in with');
			await verifyPassword(password, await this.#decoy);
			return { ok: false, passwordChangeRequired: false };
		}
		if (stored === null) return { ok: sameText(password, factoryPassword), passwordChangeRequired: true };
		try {
			return { ok: await verifyPassword(password, stored), passwordChangeRequired: false };
		} catch (error) {
			if (!(error instanceof PasswordHashFormatError)) throw error;
			throw new ApplianceProblem('failed', `${this.file} holds no usable password hash (${error.message}); reset the web admin password from the console menu`, [], { cause: error });
		}
	}

	/** Changes the password after checking the current one and the new one's quality; nothing is written on a refusal. */
	async change(username: string, current: string, next: string): Promise<void> {
		if (!(await this.check(username, current)).ok) {
			throw new ApplianceProblem('unauthorized', 'the current password is wrong', [{ path: 'current', message: 'is not the current password' }]);
		}
		const problem = sameText(current, next) ? 'must differ from the current password' : await newPasswordProblem(next, username);
		if (problem !== null) throw new ApplianceProblem('invalid', `the new password was refused: it ${problem}`, [{ path: 'new', message: problem }]);
		await writeFileAtomic(this.file, `${await hashPassword(next)}\n`, { mode: 0o600 });
	}

	async #storedHash(): Promise<string | null> {
		try {
			return await readFile(this.file, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw error;
		}
	}
}
