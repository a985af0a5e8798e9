import test from 'ava';
import { median, round } from '../../../scripts/lib/stats.js';

test('median of an odd count is the middle value, whatever the order', (t) => {
	t.is(median([3, 1, 2]), 2);
	t.is(median([7]), 7);
	t.is(median([10, 2, 38, 23, 38]), 23);
});

test('median of an even count is the mean of the two middle values', (t) => {
	t.is(median([4, 1, 3, 2]), 2.5);
	t.is(median([5, 9]), 7);
	t.is(median([1, 1, 2, 100]), 1.5);
});

test('median sorts numerically, not as strings, and leaves its input alone', (t) => {
	const values = [10, 9, 100];
	t.is(median(values), 10);
	t.deepEqual(values, [10, 9, 100]);
});

test('median of nothing is an error, not undefined or NaN', (t) => {
	t.throws(() => median([]), { message: 'median of no values' });
});

test('round gives a number with the wanted decimals', (t) => {
	t.is(round(12.345, 1), 12.3);
	t.is(round(2.5), 3);
	t.is(round(0.123456, 2), 0.12);
});
