// What a new web admin password must be (OWASP ASVS 4.0.3 2.1.1-2.1.9): 12 to 128 characters counted as a person
// counts them, any characters (spaces and Unicode too), no composition rules, and not a common password — also not
// one with digits or symbols added at the end, nor one built from this appliance's obvious words.
import { commonPasswords, listForm } from './common-passwords.js';

export const minPasswordLength = 12;
export const maxPasswordLength = 128;

/** Words anyone guessing this appliance's password tries first. */
const contextWords = ['exlb', 'admin', 'administrator', 'exchange', 'loadbalancer', 'password'];

/** What people add at the end of a common password to get past a length or "one digit" rule. */
const trailingDigitsAndSymbols = /[\d\s\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+$/u;

const withoutTrailing = (text: string) => text.replace(trailingDigitsAndSymbols, '');

/** The problem with `password` as a new password for `username`, or null when it is acceptable. */
export async function newPasswordProblem(password: string, username: string): Promise<string | null> {
	const length = [...password.normalize('NFKC')].length;
	if (length < minPasswordLength) return `must have at least ${minPasswordLength} characters (it has ${length})`;
	if (length > maxPasswordLength) return `must have at most ${maxPasswordLength} characters (it has ${length})`;
	const form = listForm(password);
	if (/^(.{1,4})\1+$/su.test(form)) return 'repeats one short sequence; choose a longer passphrase';
	const list = await commonPasswords();
	if (list.has(form)) return 'is in the list of common passwords';
	const stem = withoutTrailing(form);
	if (list.has(stem)) return `is a common password ("${stem}") with digits or symbols added`;
	let rest = form;
	for (const word of [listForm(username), ...contextWords]) if (word.length > 0) rest = rest.split(word).join('');
	if (withoutTrailing(rest) === '') return 'is made only of the user name, the appliance\'s name and digits or symbols';
	return null;
}
