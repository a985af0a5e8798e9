// The interface's two dictionaries: the same keys in English and French, no empty text, the same {placeholders} in
// both, and every key the code names literally present (a key built at run time, `service.${name}`, is checked by
// its prefix having entries).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { en } from '../../../web-ui/src/i18n/en.js';
import { fr } from '../../../web-ui/src/i18n/fr.js';

const sourceDir = fileURLToPath(new URL('../../../web-ui/src/', import.meta.url));
const dictionaries = { en, fr } as const;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

async function sources(dir = sourceDir): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true });
	const nested = await Promise.all(entries.map(async (entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'i18n' ? [] : sources(full);
		return entry.name.endsWith('.ts') ? [await readFile(full, 'utf8')] : [];
	}));
	return nested.flat();
}

test('English and French have the same keys', (t) => {
	const keys = { en: Object.keys(en).sort(), fr: Object.keys(fr).sort() };
	t.deepEqual(keys.en.filter((key) => !keys.fr.includes(key)), [], 'missing in French');
	t.deepEqual(keys.fr.filter((key) => !keys.en.includes(key)), [], 'missing in English');
});

test('no text is empty, and both languages have the same placeholders', (t) => {
	for (const [language, dictionary] of Object.entries(dictionaries)) {
		for (const [key, text] of Object.entries(dictionary)) t.not(text.trim(), '', `${language} ${key}`);
	}
	for (const key of Object.keys(en) as (keyof typeof en)[]) t.deepEqual(placeholders(fr[key]), placeholders(en[key]), key);
});

test('every key the code names is in the dictionaries', async (t) => {
	const code = (await sources()).join('\n');
	const literal = [...code.matchAll(/\bt\('([\w.-]+)'/g)].map((match) => match[1]!);
	const built = [...code.matchAll(/\bt\(`([\w.-]+)\$\{/g)].map((match) => match[1]!);
	t.true(literal.length > 100, `found ${literal.length} keys in the code`);
	t.deepEqual([...new Set(literal)].filter((key) => !(key in en)), []);
	t.deepEqual([...new Set(built)].filter((prefix) => !Object.keys(en).some((key) => key.startsWith(prefix))), []);
});
