// Figures for the benchmarks.

/** The median: the middle value, or for an even count the mean of the two middle values. */
export function median(values: readonly number[]): number {
	if (values.length === 0) throw new Error('median of no values');
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Rounds to `digits` decimals (a number, not a string, for the JSON reports). */
export const round = (value: number, digits = 0): number => Number(value.toFixed(digits));

/** The first fields of every benchmark report: when, how long, how many rounds, the machine's load, the setup. */
export function reportHeader(run: { seconds: number; rounds: number; loadAtStart: readonly number[]; setup: string }) {
	return { measuredAt: new Date().toISOString(), secondsPerMeasurement: run.seconds, rounds: run.rounds, loadAverageAtStart: run.loadAtStart, setup: run.setup };
}
