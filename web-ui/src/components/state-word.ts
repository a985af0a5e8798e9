// A state as a word in a coloured badge: the word carries the meaning, the colour only repeats it.
import { html } from 'htm/preact';

export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'off';

export function StateWord(props: { readonly word: string; readonly tone: Tone; readonly label?: string }) {
	return html`<span class=${`state state-${props.tone}`} aria-label=${props.label}>${props.word}</span>`;
}

export const serverStateTone = (state: string): Tone => (state === 'UP' ? 'good' : state === 'DOWN' ? 'bad' : state === 'DRAIN' ? 'warn' : 'off');

