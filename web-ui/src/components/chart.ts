// A line chart of the last hour in plain SVG: one line per series (colour and dash pattern both differ), gaps where
// nothing was measured, the scale's maximum and the time span as text, and a legend with each series' latest value.
import { html } from 'htm/preact';
import { formatNumber, formatTime } from '../format.js';
import { t } from '../i18n/i18n.js';

export interface ChartSeries {
	readonly name: string;
	readonly values: readonly (number | null)[];
}

const width = 600;
const height = 180;
const pad = { left: 44, right: 8, top: 10, bottom: 22 };
const colours = ['#0b5cad', '#b3261e', '#1a7f37', '#8250df', '#9a6700', '#0e7490', '#c2410c', '#475569'];
const dashes = ['', '6 3', '2 3', '8 3 2 3'];
/** Colour and dash pattern of the nth series: no two of the first 32 look alike. */
const strokeOf = (index: number) => ({ colour: colours[index % colours.length]!, dash: dashes[(index + Math.floor(index / colours.length)) % dashes.length] || undefined });

/** 1, 2, 5 × 10^n at or above `value` (at least 1). */
function niceMaximum(value: number): number {
	if (value <= 1) return 1;
	const power = 10 ** Math.floor(Math.log10(value));
	return ([1, 2, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

function paths(times: readonly number[], values: readonly (number | null)[], x: (time: number) => number, y: (value: number) => number): string {
	let path = '';
	let drawing = false;
	values.forEach((value, index) => {
		const time = times[index];
		if (value === null || time === undefined) {
			drawing = false;
			return;
		}
		path += `${drawing ? 'L' : 'M'}${x(time).toFixed(1)} ${y(value).toFixed(1)}`;
		drawing = true;
	});
	return path;
}

export function Chart(props: { readonly id: string; readonly title: string; readonly times: readonly number[]; readonly series: readonly ChartSeries[]; readonly fractionDigits?: number }) {
	const digits = props.fractionDigits ?? 0;
	const last = (values: readonly (number | null)[]) => [...values].reverse().find((value) => value !== null) ?? null;
	const peak = Math.max(0, ...props.series.flatMap((series) => series.values.filter((value): value is number => value !== null)));
	const top = niceMaximum(peak);
	const end = props.times.at(-1) ?? Date.now();
	const start = Math.min(props.times[0] ?? end, end - 60_000);
	const x = (time: number) => pad.left + ((time - start) / Math.max(1, end - start)) * (width - pad.left - pad.right);
	const y = (value: number) => height - pad.bottom - (value / top) * (height - pad.top - pad.bottom);
	const summary = props.series.map((series) => `${series.name} ${formatNumber(last(series.values) ?? 0, digits)}`).join(', ');
	return html`<figure class="chart" aria-labelledby=${`${props.id}-title`}>
		<figcaption id=${`${props.id}-title`}>${props.title}</figcaption>
		${props.series.length === 0 || props.times.length === 0 ? html`<p class="empty">${t('chart.empty')}</p>` : html`
			<svg viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${`${props.title}: ${summary}`} preserveAspectRatio="none">
				<line class="axis" x1=${pad.left} y1=${y(0)} x2=${width - pad.right} y2=${y(0)} />
				<line class="grid" x1=${pad.left} y1=${y(top)} x2=${width - pad.right} y2=${y(top)} />
				<line class="grid" x1=${pad.left} y1=${y(top / 2)} x2=${width - pad.right} y2=${y(top / 2)} />
				<text class="tick" x=${pad.left - 4} y=${y(top) + 4} text-anchor="end">${formatNumber(top)}</text>
				<text class="tick" x=${pad.left - 4} y=${y(0) + 4} text-anchor="end">0</text>
				<text class="tick" x=${pad.left} y=${height - 4}>${formatTime(start)}</text>
				<text class="tick" x=${width - pad.right} y=${height - 4} text-anchor="end">${formatTime(end)}</text>
				${props.series.map((series, index) => html`<path d=${paths(props.times, series.values, x, y)} fill="none" stroke=${strokeOf(index).colour}
					stroke-width="2" stroke-dasharray=${strokeOf(index).dash} />`)}
			</svg>
			<ul class="legend">${props.series.map((series, index) => html`<li>
				<svg class="swatch" viewBox="0 0 24 8" aria-hidden="true"><line x1="0" y1="4" x2="24" y2="4" stroke=${strokeOf(index).colour} stroke-width="3" stroke-dasharray=${strokeOf(index).dash} /></svg>
				<span>${series.name}</span> <strong>${formatNumber(last(series.values) ?? 0, digits)}</strong>
			</li>`)}</ul>`}
	</figure>`;
}
