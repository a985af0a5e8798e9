// Dates, numbers and durations in the interface's language, through Intl (no formatting by hand).
import { language, type Language } from './i18n/i18n.js';

export const localeOf = (lang: Language): string => (lang === 'fr' ? 'fr-FR' : 'en-GB');
const locale = () => localeOf(language());

export function formatDateTime(value: string | number | Date): string {
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? String(value) : new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/**
 * A date and time as the clock in `timeZone` (the appliance's) shows it, with the zone used: the browser's own when
 * Intl does not know that one, so the zone shown is always the one the time is in.
 */
export function formatDateTimeIn(value: string | number | Date, timeZone: string): { readonly time: string; readonly zone: string } {
	const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
	let format: Intl.DateTimeFormat;
	try {
		format = new Intl.DateTimeFormat(locale(), { ...options, timeZone });
	} catch {
		format = new Intl.DateTimeFormat(locale(), options);
	}
	const date = new Date(value);
	return { time: Number.isNaN(date.getTime()) ? String(value) : format.format(date), zone: format.resolvedOptions().timeZone };
}

export function formatDate(value: string | number | Date): string {
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? String(value) : new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(date);
}

export function formatTime(value: number): string {
	return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(new Date(value));
}

export function formatNumber(value: number, maximumFractionDigits = 0): string {
	return new Intl.NumberFormat(locale(), { maximumFractionDigits }).format(value);
}

/** In megabytes, whole unless told otherwise (an upload's progress shows tenths). */
export function formatBytes(value: number, maximumFractionDigits = 0): string {
	return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'megabyte', maximumFractionDigits }).format(value / 1_000_000);
}

/** "3 d 4 h", "5 h 12 min", "42 s": the two largest units. */
export function formatDuration(totalSeconds: number): string {
	const units = [['day', 86_400], ['hour', 3600], ['minute', 60], ['second', 1]] as const;
	const parts: string[] = [];
	let rest = Math.max(0, Math.floor(totalSeconds));
	for (const [unit, seconds] of units) {
		const count = Math.floor(rest / seconds);
		rest -= count * seconds;
		if (count > 0 || (unit === 'second' && parts.length === 0)) parts.push(new Intl.NumberFormat(locale(), { style: 'unit', unit, unitDisplay: 'short' }).format(count));
		if (parts.length === 2) break;
	}
	return parts.join(' ');
}
