// Field paths as users type them (`network.routes[0].router`, `casServers.1`): parsing, reading, and
// writing a value coerced from command-line text according to the schema node at that path.
import type { TSchema } from '@sinclair/typebox';
import { ConfigSchema } from './schema.js';

export class FieldPathError extends Error {
	override readonly name = 'FieldPathError';
}

export function parseFieldPath(text: string): (string | number)[] {
	if (!/^[A-Za-z][A-Za-z0-9]*((\.[A-Za-z][A-Za-z0-9]*)|(\.[0-9]+)|(\[[0-9]+\]))*$/.test(text)) {
		throw new FieldPathError(`${JSON.stringify(text)} is not a field path (e.g. http.casHttpPort, network.routes[0].router)`);
	}
	return text.split(/\.|\[|\]/).filter((part) => part !== '').map((part) => (/^[0-9]+$/.test(part) ? Number(part) : part));
}

/** The schema node a path leads to; throws naming the first unknown segment. */
export function schemaAt(segments: readonly (string | number)[]): TSchema {
	let node: TSchema = ConfigSchema;
	let walked = '';
	for (const segment of segments) {
		if (node.type === 'object' && typeof segment === 'string' && node.properties?.[segment]) {
			node = node.properties[segment] as TSchema;
		} else if (node.type === 'array' && typeof segment === 'number') {
			node = node.items as TSchema;
		} else {
			const known = node.type === 'object' ? Object.keys(node.properties ?? {}).join(', ') : node.type === 'array' ? 'an index' : 'nothing (a value)';
			throw new FieldPathError(`${walked === '' ? '' : `${walked}: `}no field ${JSON.stringify(String(segment))} here (expected ${known})`);
		}
		walked += typeof segment === 'number' ? `[${segment}]` : walked === '' ? segment : `.${segment}`;
	}
	return node;
}

export function getAt(value: unknown, segments: readonly (string | number)[]): unknown {
	schemaAt(segments);
	let node = value;
	for (const segment of segments) node = (node as Record<string | number, unknown> | undefined)?.[segment];
	return node;
}

/** Turns command-line text into the JSON type the schema expects there (validation comes after). */
export function coerceValue(schema: TSchema, text: string): unknown {
	const types = schema.anyOf ? (schema.anyOf as TSchema[]).map((option) => option.type ?? typeof option.const) : [schema.type];
	if (types.includes('null') && (text === 'null' || text === '')) return null;
	if (types.includes('integer') || types.includes('number')) return /^-?[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : text;
	if (types.includes('boolean')) return text === 'true' ? true : text === 'false' ? false : text;
	if (types.includes('array') || types.includes('object')) {
		try {
			return JSON.parse(text);
		} catch (error) {
			throw new FieldPathError(`expected JSON (a list or an object), got ${JSON.stringify(text)}`, { cause: error });
		}
	}
	return text;
}

/** A copy of `config` with the value at `segments` replaced (a list may grow by one at its end). */
export function setAt<T>(config: T, segments: readonly (string | number)[], value: unknown): T {
	schemaAt(segments);
	if (segments.length === 0) return value as T;
	const copy = structuredClone(config);
	let node = copy as Record<string | number, unknown>;
	for (const segment of segments.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
	const last = segments.at(-1)!;
	if (typeof last === 'number' && Array.isArray(node) && last > node.length) {
		throw new FieldPathError(`index ${last} is past the end of the list (it has ${node.length} entries)`);
	}
	node[last] = value;
	return copy;
}
