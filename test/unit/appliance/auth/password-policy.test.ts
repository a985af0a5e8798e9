// New web admin passwords: 12 to 128 characters, any characters, no composition rules, and not a common password
// (nor one with digits or symbols added, nor one made of the appliance's obvious words).
import test from 'ava';
import { commonPasswords } from '../../../../services/appliance/auth/common-passwords.js';
import { newPasswordProblem } from '../../../../services/appliance/auth/password-policy.js';

test('the list holds the 10,000 most common passwords and the long common ones, lower-cased', async (t) => {
	const list = await commonPasswords();
	t.true(list.size > 20_000);
	for (const entry of ['password', '123456', 'dragon', 'qwerty123456', '1qaz2wsx3edc']) t.true(list.has(entry), entry);
});

test('length: 12 characters at least, 128 at most, counted as a person counts them', async (t) => {
	t.regex((await newPasswordProblem('tulip lamp', 'admin'))!, /at least 12 characters \(it has 10\)/);
	t.is(await newPasswordProblem('tulip lamp 7', 'admin'), null);
	t.regex((await newPasswordProblem('x'.repeat(60) + 'y'.repeat(69), 'admin'))!, /at most 128 characters/);
	t.is(await newPasswordProblem('🌷🏮🪐🌊🧭🎻🦉🍋🚲🗝🧩🪁', 'admin'), null, '12 emoji are 12 characters (UTF-16 would count 23)');
});

test('no composition rules: lower-case words and spaces are fine', async (t) => {
	t.is(await newPasswordProblem('correct horse battery staple', 'admin'), null);
	t.is(await newPasswordProblem('ceci n\'est pas une pipe', 'admin'), null);
});

test('common passwords are refused, whatever their case, and with digits or symbols added', async (t) => {
	t.regex((await newPasswordProblem('qwerty123456', 'admin'))!, /list of common passwords/);
	t.regex((await newPasswordProblem('QWERTY123456', 'admin'))!, /list of common passwords/);
	t.regex((await newPasswordProblem('password1234!', 'admin'))!, /common password \("password"\) with digits or symbols added/);
	t.regex((await newPasswordProblem('Sunshine2024!!', 'admin'))!, /common password/);
});

test('the user name and the appliance\'s own words with digits are refused, as is one short sequence repeated', async (t) => {
	t.regex((await newPasswordProblem('exlbadmin2024!', 'admin'))!, /user name, the appliance's name/);
	t.regex((await newPasswordProblem('Exchange-Admin-99', 'admin'))!, /user name, the appliance's name/);
	t.regex((await newPasswordProblem('abcabcabcabc', 'admin'))!, /repeats one short sequence/);
	t.is(await newPasswordProblem('exlb guards my mailboxes', 'admin'), null, 'the words inside a longer passphrase are fine');
});
