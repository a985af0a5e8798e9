// The published JSON Schema (services/config/exlb.schema.json) is this text; a unit test keeps the file in step.
// Regenerate with: node --import=tsx services/config/json-schema.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigSchema } from './schema.js';

export function jsonSchemaText(): string {
	return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...ConfigSchema }, null, '\t')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	writeFileSync(new URL('./exlb.schema.json', import.meta.url), jsonSchemaText());
}
