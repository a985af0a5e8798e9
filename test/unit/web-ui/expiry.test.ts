// A certificate's expiry steps at their boundaries: more than 30 days valid, 30 to 15 renew soon, 14 to 8 renew now,
// 7 to 0 urgent, below 0 expired; the badge's colour repeats the step (warn, then bad), and each step has its word.
import test from 'ava';
import { expiryLevel, expiryTone } from '../../../web-ui/src/components/expiry.js';
import { en } from '../../../web-ui/src/i18n/en.js';
import { fr } from '../../../web-ui/src/i18n/fr.js';

const cases = [
	[365, 'valid'], [31, 'valid'],
	[30, 'renewSoon'], [15, 'renewSoon'],
	[14, 'renewNow'], [8, 'renewNow'],
	[7, 'urgent'], [1, 'urgent'], [0, 'urgent'],
	[-1, 'expired'], [-400, 'expired'],
] as const;

for (const [daysLeft, level] of cases) {
	test(`${daysLeft} days left: ${level}`, (t) => {
		t.is(expiryLevel(daysLeft), level);
	});
}

test('the tones: good, warn for renew soon and now, bad for urgent and expired', (t) => {
	t.deepEqual(expiryTone, { valid: 'good', renewSoon: 'warn', renewNow: 'warn', urgent: 'bad', expired: 'bad' });
});

test('every step has its word in both languages', (t) => {
	for (const level of new Set(cases.map(([, step]) => step))) {
		t.true(`expiry.${level}` in en && `expiry.${level}` in fr, level);
	}
});
