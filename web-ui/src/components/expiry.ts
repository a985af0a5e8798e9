// How soon a certificate expires, in words (30, 14 and 7 days are the warning steps) with its badge.
import { html } from 'htm/preact';
import { t, type MessageKey } from '../i18n/i18n.js';
import { tn } from '../i18n/plural.js';
import { StateWord, type Tone } from './state-word.js';

export type ExpiryLevel = 'valid' | 'renewSoon' | 'renewNow' | 'urgent' | 'expired';

/** The warning step of a certificate with `daysLeft` whole days to go (negative: expired). */
export function expiryLevel(daysLeft: number): ExpiryLevel {
	if (daysLeft < 0) return 'expired';
	if (daysLeft <= 7) return 'urgent';
	if (daysLeft <= 14) return 'renewNow';
	if (daysLeft <= 30) return 'renewSoon';
	return 'valid';
}

export const expiryTone: Readonly<Record<ExpiryLevel, Tone>> = { valid: 'good', renewSoon: 'warn', renewNow: 'warn', urgent: 'bad', expired: 'bad' };

export function Expiry(props: { readonly daysLeft: number }) {
	const level = expiryLevel(props.daysLeft);
	return html`<span class="expiry"><${StateWord} word=${t(`expiry.${level}` as MessageKey)} tone=${expiryTone[level]} />
		${' '}${props.daysLeft < 0 ? tn('expiry.daysAgo', -props.daysLeft) : tn('expiry.daysLeft', props.daysLeft)}</span>`;
}
