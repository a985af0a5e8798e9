// Every string of the interface comes from the two dictionaries (en.ts, fr.ts): t(key, values) with {name}
// placeholders (tn() in plural.ts for a message with a count). The language is the configuration's system.language;
// before the login, the last one used here.
import type { Dictionary, DictionaryKey, MessageKey, PluralKey } from './dictionary.js';
import { en } from './en.js';
import { fr } from './fr.js';

export type Language = 'en' | 'fr';
export type { Dictionary, DictionaryKey, MessageKey, PluralKey };

export const dictionaries: Readonly<Record<Language, Dictionary>> = { en, fr };

const storageKey = 'exlb-language';
let current: Language = initialLanguage();

function initialLanguage(): Language {
	try {
		const stored = localStorage.getItem(storageKey);
		if (stored === 'en' || stored === 'fr') return stored;
	} catch {
		// storage refused: the browser's language decides
	}
	return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function language(): Language {
	return current;
}

export function setLanguage(next: Language): void {
	current = next;
	document.documentElement.lang = next;
	try {
		localStorage.setItem(storageKey, next);
	} catch {
		// not kept: the next login reads it from the configuration again
	}
}

/** The text with its {name} placeholders replaced; a placeholder without a value stays as it is. */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const reported = new Set<string>();

/** What a key missing from the dictionary shows (a key built at run time from the API's word): the key itself, said once on the console, so the page still renders. */
export function missingText(key: string): string {
	if (!reported.has(key)) {
		reported.add(key);
		console.error(`exlb: no text for "${key}" in the ${current} dictionary`);
	}
	return key;
}

export function t(key: MessageKey, values: Readonly<Record<string, string | number>> = {}): string {
	const text: unknown = dictionaries[current][key];
	return typeof text === 'string' ? fill(text, values) : missingText(key);
}
