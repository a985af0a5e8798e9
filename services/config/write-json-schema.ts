// Regenerates services/config/exlb.schema.json: node --import=tsx services/config/write-json-schema.ts
import { writeFileSync } from 'node:fs';
import { jsonSchemaText } from './json-schema.js';

writeFileSync(new URL('./exlb.schema.json', import.meta.url), jsonSchemaText());
