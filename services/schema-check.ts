// TypeBox schemas compiled once each (the engine's requests, the HA peer channel's messages are checked many times).
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';

const compiled = new Map<TSchema, TypeCheck<TSchema>>();

export function compiledCheck(schema: TSchema): TypeCheck<TSchema> {
	let check = compiled.get(schema);
	if (check === undefined) {
		check = TypeCompiler.Compile(schema);
		compiled.set(schema, check);
	}
	return check;
}
