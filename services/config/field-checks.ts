// Per-field validation: the schema (structure, types, ranges) with messages worded by the field's kind,
// so every message names the value and says what it should be.
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { ConfigSchema, type FieldKind } from './schema.js';
import { ipv4Problem, netmaskProblem } from './ipv4.js';
import { hostnameProblem, fqdnProblem, certNameProblem, hostProblem, timezoneProblem } from './grammar.js';
import { pathFromSegments, showValue, type ConfigIssue } from './issues.js';

function kindOf(schema: TSchema): FieldKind | undefined {
	return schema['x-kind'] as FieldKind | undefined;
}

/** Reason a string of this kind is wrong, using the shared grammars (null = fine). */
function stringProblem(kind: FieldKind | undefined, text: string): string | null {
	switch (kind) {
		case 'ipv4': return ipv4Problem(text);
		case 'optionalIpv4': return text === '' ? null : ipv4Problem(text);
		case 'netmask': return netmaskProblem(text);
		case 'hostname': return hostnameProblem(text);
		case 'fqdn': return fqdnProblem(text);
		case 'certName': return certNameProblem(text);
		case 'certRef': return text === '' ? null : certNameProblem(text);
		case 'host': return hostProblem(text);
		case 'timezone': return timezoneProblem(text);
		case 'date':
			return Number.isNaN(Date.parse(text)) || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$/.test(text) ? `${JSON.stringify(text)} is not an ISO 8601 UTC date` : null;
		default: return null;
	}
}

function kindMessage(schema: TSchema, value: unknown): string | null {
	const kind = kindOf(schema);
	switch (kind) {
		case 'port': return `${showValue(value)} is not a port (1-65535)`;
		case 'seconds': return `${showValue(value)} is not a timeout in seconds (1-${schema.maximum})`;
		case 'vlan': return `${showValue(value)} is not a VLAN id (1-4094, or null for none)`;
		case 'version': return `${showValue(value)} is not a configuration version this appliance writes (${schema.const})`;
		case 'choice': return `${showValue(value)} is not one of ${(schema.anyOf as TSchema[]).map((option) => option.const).join(', ')}`;
		case 'serverStates': return `${showValue(value)} is not an object of server address → "drain" or "maint"`;
		default: break;
	}
	if (typeof value === 'string') return stringProblem(kind, value);
	if (kind === 'ipv4' || kind === 'optionalIpv4') return `${showValue(value)} is not an IPv4 address`;
	if (kind === 'hostname' || kind === 'fqdn' || kind === 'host') return `${showValue(value)} is not a host name`;
	if (kind !== undefined && kind !== 'text') return `${showValue(value)} is not a string`;
	return null;
}

function genericMessage(type: ValueErrorType, schema: TSchema, value: unknown, message: string): string {
	switch (type) {
		case ValueErrorType.ObjectRequiredProperty: return 'missing (required)';
		case ValueErrorType.ObjectAdditionalProperties:
			// A map keyed by a pattern (serverStates: server address → state) has no fixed list of keys.
			if (schema.properties === undefined) return 'unknown key (the keys are server addresses, e.g. "192.168.0.10")';
			return `unknown key (allowed: ${Object.keys(schema.properties as object).join(', ')})`;
		case ValueErrorType.ArrayMaxItems: return `at most ${schema.maxItems} entries allowed (got ${(value as unknown[]).length})`;
		case ValueErrorType.Boolean: return `${showValue(value)} is not true or false`;
		case ValueErrorType.Array: return `${showValue(value)} is not a list`;
		case ValueErrorType.Object: return `${showValue(value)} is not an object`;
		case ValueErrorType.String: return `${showValue(value)} is not a string`;
		case ValueErrorType.Integer:
		case ValueErrorType.IntegerMinimum:
		case ValueErrorType.IntegerMaximum:
			return schema.minimum !== undefined && schema.maximum !== undefined
				? `${showValue(value)} is not a whole number from ${schema.minimum} to ${schema.maximum}`
				: `${showValue(value)} is not a whole number`;
		default: return `${showValue(value)}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
	}
}

function segmentsOf(pointer: string): string[] {
	return pointer.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Walks values that have the right JSON type and checks strings against their grammar (e.g. octets > 255). */
function* grammarIssues(schema: TSchema, value: unknown, segments: (string | number)[]): Generator<ConfigIssue> {
	if (schema.type === 'object' && schema.properties && typeof value === 'object' && value !== null && !Array.isArray(value)) {
		for (const [key, child] of Object.entries(schema.properties as Record<string, TSchema>)) {
			if (key in value) yield* grammarIssues(child, (value as Record<string, unknown>)[key], [...segments, key]);
		}
	} else if (schema.type === 'array' && Array.isArray(value)) {
		for (const [index, item] of value.entries()) yield* grammarIssues(schema.items as TSchema, item, [...segments, index]);
	} else if (typeof value === 'string') {
		const problem = stringProblem(kindOf(schema), value);
		if (problem !== null) yield { path: pathFromSegments(segments), value, message: problem };
	}
}

/** Every per-field problem of an input, at most one per path. */
export function fieldIssues(input: unknown): ConfigIssue[] {
	const byPath = new Map<string, ConfigIssue>();
	for (const issue of grammarIssues(ConfigSchema, input, [])) byPath.set(issue.path, issue);
	for (const error of Value.Errors(ConfigSchema, input)) {
		const path = pathFromSegments(segmentsOf(error.path));
		if (byPath.has(path)) continue;
		const message = error.type === ValueErrorType.ObjectRequiredProperty || error.type === ValueErrorType.ObjectAdditionalProperties
			? genericMessage(error.type, error.schema, error.value, error.message)
			: kindMessage(error.schema, error.value) ?? genericMessage(error.type, error.schema, error.value, error.message);
		byPath.set(path, { path, value: error.value, message });
	}
	return [...byPath.values()];
}
