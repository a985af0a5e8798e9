// A key built at run time from the API's word that the dictionary lacks shows as the key itself and is reported once
// on the console, so the page still renders (the dictionary test stays strict about the keys the code names).
import test from 'ava';
import { t as translate, type MessageKey } from '../../../web-ui/src/i18n/i18n.js';
import { tn } from '../../../web-ui/src/i18n/plural.js';

test('a missing key reads as itself and is reported once; a known key is unchanged', (t) => {
	const reported: unknown[][] = [];
	const original = console.error;
	console.error = (...args: unknown[]) => void reported.push(args);
	try {
		const key = 'admin.someFutureState' as MessageKey;
		t.is(translate(key), 'admin.someFutureState');
		t.is(translate(key, { name: 'x' }), 'admin.someFutureState');
		t.is(reported.length, 1, 'said once');
		t.regex(String(reported[0]![0]), /admin\.someFutureState/);
		t.is(translate('admin.drain'), 'DRAIN');
		t.is(tn('dashboard.remaining', 1), '1 session open');
		t.is(reported.length, 1);
	} finally {
		console.error = original;
	}
});
