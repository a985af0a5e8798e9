// How soon a certificate expires, in words (30, 14 and 7 days are the warning steps) with its badge.
import { html } from 'htm/preact';
import { t } from '../i18n/i18n.js';
import { tn } from '../i18n/plural.js';
import { StateWord, type Tone } from './state-word.js';

export function expiryLevel(daysLeft: number): { readonly word: string; readonly tone: Tone } {
	if (daysLeft < 0) return { word: t('expiry.expired'), tone: 'bad' };
	if (daysLeft <= 7) return { word: t('expiry.urgent'), tone: 'bad' };
	if (daysLeft <= 14) return { word: t('expiry.renewNow'), tone: 'warn' };
	if (daysLeft <= 30) return { word: t('expiry.renewSoon'), tone: 'warn' };
	return { word: t('expiry.valid'), tone: 'good' };
}

export function Expiry(props: { readonly daysLeft: number }) {
	const level = expiryLevel(props.daysLeft);
	return html`<span class="expiry"><${StateWord} word=${level.word} tone=${level.tone} />
		${' '}${props.daysLeft < 0 ? tn('expiry.daysAgo', -props.daysLeft) : tn('expiry.daysLeft', props.daysLeft)}</span>`;
}
