// The shape every dictionary has: English's keys, a text for each, and for a message with a count one text per plural
// form the language's rules name (Intl.PluralRules: English one/other, French one/many/other).
import type { en } from './en.js';

type English = typeof en;
export type PluralForms = Readonly<Partial<Record<Intl.LDMLPluralRule, string>>> & { readonly other: string };
export type DictionaryKey = keyof English;
/** A key whose message is one text: what t() takes. */
export type MessageKey = { [K in DictionaryKey]: English[K] extends string ? K : never }[DictionaryKey];
/** A key whose message depends on a count: what tn() takes. */
export type PluralKey = Exclude<DictionaryKey, MessageKey>;
export type Dictionary = { readonly [K in DictionaryKey]: English[K] extends string ? string : PluralForms };
