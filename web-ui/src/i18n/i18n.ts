// Every string of the interface comes from the two dictionaries (en.ts, fr.ts): t(key, values) with {name}
// placeholders. The language is the configuration's system.language; before the login, the last one used here.
import { en, type MessageKey } from './en.js';
import { fr } from './fr.js';

export type Language = 'en' | 'fr';
export type { MessageKey };

export const dictionaries: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { en, fr };

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

export function t(key: MessageKey, values: Readonly<Record<string, string | number>> = {}): string {
	const text = dictionaries[current][key];
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
