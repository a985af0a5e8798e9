// Messages with a count take the plural form each language's rules choose (English: one for 1 only; French: one for 0
// and 1, and below 2, many for a round million), with the count written the language's way.
import test from 'ava';
import { loadLanguage } from '../../../web-ui/src/i18n/i18n.js';
import { pluralForm, pluralText } from '../../../web-ui/src/i18n/plural.js';

// French is fetched apart, as the browser does when it is chosen.
test.before(() => loadLanguage('fr'));

test('English: "one" for 1 only', (t) => {
	t.deepEqual([0, 1, 2, 5, 1.5, 1_000_000].map((count) => pluralForm('en', count)), ['other', 'one', 'other', 'other', 'other', 'other']);
});

test('French: "one" for 0 and 1 (and 1.5), "many" for a round million', (t) => {
	t.deepEqual([0, 1, 1.5, 2, 5, 1_000_000].map((count) => pluralForm('fr', count)), ['one', 'one', 'one', 'other', 'other', 'many']);
});

test('English sentences: 1 session open, 0 and 2 sessions open, 1 day left', (t) => {
	t.is(pluralText('en', 'dashboard.remaining', 1), '1 session open');
	t.is(pluralText('en', 'dashboard.remaining', 0), '0 sessions open');
	t.is(pluralText('en', 'dashboard.remaining', 2), '2 sessions open');
	t.is(pluralText('en', 'expiry.daysLeft', 1), '1 day left');
	t.is(pluralText('en', 'expiry.daysAgo', 3), 'expired 3 days ago');
	t.is(pluralText('en', 'dashboard.upIn', 1, { up: '0' }), 'UP in 0 of 1 backend');
	t.is(pluralText('en', 'dashboard.sessions', 12_345), '12,345 sessions', 'the count formatted by Intl');
});

test('French sentences: 0 and 1 singular, 2 plural, a million "de"', (t) => {
	t.is(pluralText('fr', 'dashboard.remaining', 0), '0 session ouverte');
	t.is(pluralText('fr', 'dashboard.remaining', 1), '1 session ouverte');
	t.is(pluralText('fr', 'dashboard.remaining', 2), '2 sessions ouvertes');
	t.is(pluralText('fr', 'expiry.daysLeft', 1), 'encore 1 jour');
	t.is(pluralText('fr', 'expiry.daysLeft', 0), 'encore 0 jour');
	// fr-FR groups with a narrow no-break space
	t.is(pluralText('fr', 'expiry.daysLeft', 1_000_000), 'encore 1\u202f000\u202f000 de jours');
	t.is(pluralText('fr', 'password.count', 1, { min: 12 }), '1 caractère (au moins 12)');
});
