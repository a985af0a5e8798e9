// Every string of the interface comes from the two dictionaries (en.ts, fr.ts): t(key, values) with {name}
// placeholders (tn() in plural.ts for a message with a count). The language is the configuration's system.language;
// before the login, the last one used here.
import type { Dictionary, DictionaryKey, MessageKey, PluralKey } from './dictionary.js';
import { en } from './en.js';

export type Language = 'en' | 'fr';
export type { Dictionary, DictionaryKey, MessageKey, PluralKey };

/** The dictionaries fetched so far. English is part of the first page (and the fallback); French is a chunk of its own, fetched when chosen. */
const loaded: Partial<Record<Language, Dictionary>> = { en };
const loaders: Readonly<Record<Language, () => Promise<Dictionary>>> = {
	en: async () => en,
	fr: async () => (await import('./fr.js')).fr,
};

/** Fetches `lang`'s dictionary unless it is here already. */
export async function loadLanguage(lang: Language): Promise<void> {
	loaded[lang] ??= await loaders[lang]();
}

/** `lang`'s dictionary; English while it has not been fetched (loadLanguage runs before a language is used). */
export function dictionaryOf(lang: Language): Dictionary {
	return loaded[lang] ?? en;
}

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

/** Uses `next` from now on, once its dictionary is here. */
export async function setLanguage(next: Language): Promise<void> {
	await loadLanguage(next);
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
	const text: unknown = dictionaryOf(current)[key];
	return typeof text === 'string' ? fill(text, values) : missingText(key);
}
