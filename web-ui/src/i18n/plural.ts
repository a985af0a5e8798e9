// A message with a count: the text of the plural form the language's rules choose for that count (Intl.PluralRules:
// French says "0 jour", English "0 days"), the count written by Intl.NumberFormat in the same language.
import { localeOf } from '../format.js';
import { dictionaryOf, fill, language, missingText, type Language, type PluralKey } from './i18n.js';

/** Each language's plural rules and number format, made once: the dashboard asks for dozens of counts every few seconds. */
const formats = new Map<Language, { readonly rules: Intl.PluralRules; readonly numbers: Intl.NumberFormat }>();

function formatsOf(lang: Language): { readonly rules: Intl.PluralRules; readonly numbers: Intl.NumberFormat } {
	let found = formats.get(lang);
	if (found === undefined) formats.set(lang, found = { rules: new Intl.PluralRules(localeOf(lang)), numbers: new Intl.NumberFormat(localeOf(lang)) });
	return found;
}

export function pluralForm(lang: Language, count: number): Intl.LDMLPluralRule {
	return formatsOf(lang).rules.select(count);
}

/** `key`'s text for `count` in `lang`, {count} filled with the formatted number. */
export function pluralText(lang: Language, key: PluralKey, count: number, values: Readonly<Record<string, string | number>> = {}): string {
	const forms: unknown = dictionaryOf(lang)[key];
	if (typeof forms !== 'object' || forms === null) return missingText(key);
	const byForm = forms as Readonly<Record<string, string>>;
	// a form this browser's rules name but the dictionary lacks (an older or newer CLDR) reads as "other"
	const text = byForm[pluralForm(lang, count)] ?? byForm.other ?? key;
	return fill(text, { ...values, count: formatsOf(lang).numbers.format(count) });
}

export function tn(key: PluralKey, count: number, values: Readonly<Record<string, string | number>> = {}): string {
	return pluralText(language(), key, count, values);
}
