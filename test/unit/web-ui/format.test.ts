// The setup tab's system time is the appliance's clock in its configured zone, with that zone named; a zone Intl does
// not know falls back to the browser's, and then that one is named.
import test from 'ava';
import { formatDateTimeIn } from '../../../web-ui/src/format.js';

const noon = '2026-01-15T12:00:00Z';

test('the time in the appliance\'s zone, whatever the browser\'s', (t) => {
	t.deepEqual(formatDateTimeIn(noon, 'Asia/Tokyo'), { time: '15 Jan 2026, 21:00', zone: 'Asia/Tokyo' });
	t.deepEqual(formatDateTimeIn(noon, 'America/New_York'), { time: '15 Jan 2026, 07:00', zone: 'America/New_York' });
	t.deepEqual(formatDateTimeIn(noon, 'UTC'), { time: '15 Jan 2026, 12:00', zone: 'UTC' });
});

test('a zone unknown to Intl: the browser\'s own zone, named as such', (t) => {
	const browserZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
	const shown = formatDateTimeIn(noon, 'Mars/Olympus_Mons');
	t.is(shown.zone, browserZone);
	t.is(shown.time, new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(noon)));
});
