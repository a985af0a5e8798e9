// The interface's two dictionaries: the same keys in English and French, no empty text, the same {placeholders} in
// both, each message with a count holding exactly the plural forms its language's rules name (Intl.PluralRules), and
// every key the code names literally present, as a text for t() or as plural forms for tn() (a key built at run time,
// `service.${name}`, is checked by its prefix having entries).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { en } from '../../../web-ui/src/i18n/en.js';
import { fr } from '../../../web-ui/src/i18n/fr.js';

const sourceDir = fileURLToPath(new URL('../../../web-ui/src/', import.meta.url));
const dictionaries = { en, fr } as const;
const locales = { en: 'en-GB', fr: 'fr-FR' } as const;
type Entry = string | Readonly<Record<string, string>>;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
/** Each text of an entry: itself, or each of its plural forms. */
const textsOf = (entry: Entry): string[] => (typeof entry === 'string' ? [entry] : Object.values(entry));
const entries = (dictionary: Readonly<Record<string, Entry>>) => Object.entries(dictionary);
const pluralKeys = (dictionary: Readonly<Record<string, Entry>>) => entries(dictionary).filter(([, entry]) => typeof entry !== 'string').map(([key]) => key);

async function sources(dir = sourceDir): Promise<string[]> {
	const found = await readdir(dir, { withFileTypes: true });
	const nested = await Promise.all(found.map(async (entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'i18n' ? [] : sources(full);
		return entry.name.endsWith('.ts') ? [await readFile(full, 'utf8')] : [];
	}));
	return nested.flat();
}

test('English and French have the same keys, and the same ones are messages with a count', (t) => {
	const keys = { en: Object.keys(en).sort(), fr: Object.keys(fr).sort() };
	t.deepEqual(keys.en.filter((key) => !keys.fr.includes(key)), [], 'missing in French');
	t.deepEqual(keys.fr.filter((key) => !keys.en.includes(key)), [], 'missing in English');
	t.deepEqual(pluralKeys(fr), pluralKeys(en));
	t.true(pluralKeys(en).length >= 10, `${pluralKeys(en).length} messages with a count`);
});

test('each message with a count has exactly the plural forms its language\'s rules choose from', (t) => {
	for (const [language, dictionary] of Object.entries(dictionaries) as [keyof typeof dictionaries, Readonly<Record<string, Entry>>][]) {
		const needed = [...new Intl.PluralRules(locales[language]).resolvedOptions().pluralCategories].sort();
		t.true(needed.includes('one') && needed.includes('other'), `${language}: ${needed.join()}`);
		for (const key of pluralKeys(dictionary)) t.deepEqual(Object.keys(dictionary[key] as object).sort(), needed, `${language} ${key}`);
	}
});

test('no text is empty, and every text of a key has the same placeholders in both languages', (t) => {
	for (const [language, dictionary] of Object.entries(dictionaries)) {
		for (const [key, entry] of entries(dictionary)) for (const text of textsOf(entry)) t.not(text.trim(), '', `${language} ${key}`);
	}
	for (const [key, entry] of entries(en)) {
		const expected = placeholders(textsOf(entry)[0]!);
		for (const text of [...textsOf(entry), ...textsOf(fr[key as keyof typeof fr])]) t.deepEqual(placeholders(text), expected, `${key}: ${text}`);
	}
	for (const key of pluralKeys(en)) t.true(placeholders(textsOf(en[key as keyof typeof en])[0]!).includes('count'), `${key} shows its count`);
});

test('every key the code names is in the dictionaries, a text for t() and plural forms for tn()', async (t) => {
	const code = (await sources()).join('\n');
	const literal = [...code.matchAll(/\bt\('([\w.-]+)'/g)].map((match) => match[1]!);
	const plural = [...code.matchAll(/\btn\('([\w.-]+)'/g)].map((match) => match[1]!);
	const built = [...code.matchAll(/\bt\(`([\w.-]+)\$\{/g)].map((match) => match[1]!);
	const isText = (key: string) => typeof (en as Readonly<Record<string, Entry>>)[key] === 'string';
	t.true(literal.length > 100, `found ${literal.length} keys in the code`);
	t.true(plural.length >= 10, `found ${plural.length} keys with a count in the code`);
	t.deepEqual([...new Set(literal)].filter((key) => !isText(key)), [], 'named by t() but not a text');
	t.deepEqual([...new Set(plural)].filter((key) => !(key in en) || isText(key)), [], 'named by tn() but not plural forms');
	t.deepEqual(pluralKeys(en).filter((key) => !plural.includes(key)), [], 'plural forms no code names');
	t.deepEqual([...new Set(built)].filter((prefix) => !Object.keys(en).some((key) => key.startsWith(prefix) && isText(key))), []);
});
