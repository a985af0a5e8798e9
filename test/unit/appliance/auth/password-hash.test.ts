// scrypt password hashes: the stored form carries its parameters, verification reads them back, and a stored hash
// whose parameters would exceed the memory bound is refused before any work.
import test from 'ava';
import { ConcurrencyLimit, currentParameters, hashPassword, parseHash, PasswordHashFormatError, verifyPassword } from '../../../../services/appliance/auth/password-hash.js';
import { waitFor } from '../../../../services/apply/wait.js';

test('a hash is $scrypt$ln=15,r=8,p=3$<16-byte salt>$<32-byte key> in base64 without padding', async (t) => {
	const encoded = await hashPassword('correct horse battery staple');
	t.regex(encoded, /^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
	const parsed = parseHash(encoded);
	t.deepEqual(parsed.parameters, currentParameters);
	t.is(parsed.salt.length, 16);
	t.is(parsed.key.length, 32);
});

test('the right password verifies, any other does not, and two hashes of one password differ (salted)', async (t) => {
	const encoded = await hashPassword('correct horse battery staple');
	t.true(await verifyPassword('correct horse battery staple', encoded));
	t.false(await verifyPassword('correct horse battery stapler', encoded));
	t.false(await verifyPassword('', encoded));
	t.not(await hashPassword('correct horse battery staple'), encoded);
});

test('verification uses the parameters stored with the hash, so older parameters keep working', async (t) => {
	const encoded = await hashPassword('an older, cheaper hash', { ln: 10, r: 8, p: 1 });
	t.regex(encoded, /^\$scrypt\$ln=10,r=8,p=1\$/);
	t.true(await verifyPassword('an older, cheaper hash', encoded));
});

test('Unicode is normalised (NFKC): a composed and a decomposed é are the same password', async (t) => {
	const encoded = await hashPassword('caf\u00e9 au lait, s\u2019il vous pla\u00eet');
	t.true(await verifyPassword('cafe\u0301 au lait, s\u2019il vous pla\u00eet', encoded));
});

test('a malformed hash, or parameters beyond the memory bound, are refused by name', (t) => {
	t.throws(() => parseHash('plain text'), { instanceOf: PasswordHashFormatError });
	t.throws(() => parseHash('$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'), { instanceOf: PasswordHashFormatError });
	t.throws(() => parseHash(`$scrypt$ln=20,r=8,p=1$${'A'.repeat(22)}$${'A'.repeat(43)}`), { instanceOf: PasswordHashFormatError, message: /outside what this appliance accepts/ });
	t.throws(() => parseHash(`$scrypt$ln=4,r=8,p=1$${'A'.repeat(22)}$${'A'.repeat(43)}`), { instanceOf: PasswordHashFormatError });
});

test('at most two hashes run at a time: a third waits until one ends, then runs', async (t) => {
	const limit = new ConcurrencyLimit(2);
	const started: number[] = [];
	const release: (() => void)[] = [];
	const task = (id: number) => limit.run(() => new Promise<number>((resolve) => {
		started.push(id);
		release[id] = () => resolve(id);
	}));
	const runs = [task(0), task(1), task(2)];
	await waitFor('two tasks started', 5000, () => started.length === 2);
	t.deepEqual(started, [0, 1]);
	release[0]!();
	await waitFor('the third task started', 5000, () => started.length === 3);
	release[1]!();
	release[2]!();
	t.deepEqual(await Promise.all(runs), [0, 1, 2]);
});
