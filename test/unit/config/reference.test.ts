import test from 'ava';
import { readFile } from 'node:fs/promises';
import { fieldReference, referenceTable } from '../../../services/config/reference.js';

test('the README documents every field of the model (its table is the generated one)', async (t) => {
	const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
	t.true(readme.includes(referenceTable()), 'regenerate with: node --import=tsx services/config/write-reference.ts');
	const paths = fieldReference().map((doc) => doc.path);
	t.true(paths.includes('http.casHttpPort'));
	t.true(paths.includes('network.routes[i].router'));
	t.true(paths.includes('certificates[i].fingerprint'));
	for (const command of ['validate', 'render', 'apply', 'save', 'diff', 'show', 'set', 'export', 'import']) t.true(readme.includes(`\`exlb ${command}`), command);
});
