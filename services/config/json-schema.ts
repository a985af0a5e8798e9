// The published JSON Schema (services/config/exlb.schema.json) is this text; a unit test keeps the file in step.
// Regenerate with: node --import=tsx services/config/write-json-schema.ts
import { ConfigSchema } from './schema.js';

export function jsonSchemaText(): string {
	return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...ConfigSchema }, null, '\t')}\n`;
}
