// Every field of the config model with its type, default and meaning, walked from the schema:
// the README's configuration reference is generated from this (and a test keeps them in step).
import type { TSchema } from '@sinclair/typebox';
import { ConfigSchema } from './schema.js';

export interface FieldDoc {
	readonly path: string;
	readonly type: string;
	readonly default: string;
	readonly description: string;
}

function typeOf(schema: TSchema): string {
	if (schema.anyOf) return (schema.anyOf as TSchema[]).map((option) => (option.const !== undefined ? `"${option.const}"` : typeOf(option))).join(' \\| ');
	const kind = schema['x-kind'] as string | undefined;
	if (schema.const !== undefined) return `${JSON.stringify(schema.const)} (fixed)`;
	if (schema.type === 'integer') return schema.minimum !== undefined ? `integer ${schema.minimum}-${schema.maximum}` : 'integer';
	if (schema.type === 'string' && kind !== undefined && kind !== 'text') return `string (${kind})`;
	return String(schema.type);
}

export function fieldReference(schema: TSchema = ConfigSchema, prefix = ''): FieldDoc[] {
	const docs: FieldDoc[] = [];
	for (const [key, child] of Object.entries(schema.properties as Record<string, TSchema>)) {
		const path = prefix === '' ? key : `${prefix}.${key}`;
		if (child.type === 'object' && child.patternProperties !== undefined) {
			const value = Object.values(child.patternProperties as Record<string, TSchema>)[0]!;
			docs.push({ path, type: `map of address → ${typeOf(value)}`, default: JSON.stringify(child.default ?? {}), description: String(child.description ?? '') });
		} else if (child.type === 'object') docs.push(...fieldReference(child, path));
		else if (child.type === 'array' && (child.items as TSchema).type === 'object') {
			docs.push({ path, type: `list (max ${child.maxItems})`, default: JSON.stringify(child.default ?? []), description: String(child.description ?? '') });
			docs.push(...fieldReference(child.items as TSchema, `${path}[i]`));
		} else {
			const type = child.type === 'array' ? `list of ${typeOf(child.items as TSchema)} (max ${child.maxItems})` : typeOf(child);
			docs.push({ path, type, default: child.default === undefined ? '(required)' : JSON.stringify(child.default), description: String(child.description ?? '') });
		}
	}
	return docs;
}

export function referenceTable(): string {
	const rows = fieldReference().map((doc) => `| \`${doc.path}\` | ${doc.type} | \`${doc.default}\` | ${doc.description.replace(/\|/g, '\\|')} |`);
	return ['| Field | Type | Default | Meaning |', '|---|---|---|---|', ...rows].join('\n');
}
