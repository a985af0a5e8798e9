// `show stat typed`: one line per counter, `<obj>.<proxy id>.<object id>.<position>.<name>.<process>:<tags>:<type>:<value>`.
// Chosen over the CSV form because each value is addressed by its field name and typed, and a text value (check_desc,
// last_chk: a server's own words, which may hold commas or quotes) runs to the end of its line instead of
// depending on CSV quoting; over `show stat json` because it is a third of the size and parsed line by line.
import { UnexpectedAnswerError } from './answer-error.js';

export type StatObjectType = 'frontend' | 'backend' | 'server' | 'listener';

export interface StatObject {
	readonly type: StatObjectType;
	/** haproxy's numeric ids: of the proxy (iid) and of the object inside it (sid; 0 for frontends and backends). */
	readonly proxyId: number;
	readonly objectId: number;
	/** pxname: the frontend or backend. */
	readonly proxy: string;
	/** svname: FRONTEND, BACKEND, or the server's / listener's name. */
	readonly name: string;
	readonly fields: ReadonlyMap<string, string | number>;
}

const objectTypes: Readonly<Record<string, StatObjectType>> = { F: 'frontend', B: 'backend', S: 'server', L: 'listener' };
const linePattern = /^([FBSL])\.(\d+)\.(\d+)\.\d+\.([^.:]+)\.\d+:[^:]*:([a-z0-9]+):(.*)$/;
const numericTypes = new Set(['s32', 's64', 'u32', 'u64', 'flt']);

export function parseStatTyped(text: string): StatObject[] {
	const objects = new Map<string, { type: StatObjectType; proxyId: number; objectId: number; fields: Map<string, string | number> }>();
	for (const line of text.split('\n')) {
		if (line.trim() === '') continue;
		const match = linePattern.exec(line);
		if (match === null) throw new UnexpectedAnswerError('show stat typed', line);
		const [, kind, proxyId, objectId, name, type, raw] = match as unknown as [string, string, string, string, string, string, string];
		const key = `${kind}.${proxyId}.${objectId}`;
		let object = objects.get(key);
		if (object === undefined) {
			object = { type: objectTypes[kind]!, proxyId: Number(proxyId), objectId: Number(objectId), fields: new Map() };
			objects.set(key, object);
		}
		object.fields.set(name, numericTypes.has(type) && raw !== '' ? Number(raw) : raw);
	}
	return [...objects.values()].map((object) => ({
		...object,
		proxy: String(object.fields.get('pxname') ?? ''),
		name: String(object.fields.get('svname') ?? ''),
	}));
}

/** A counter of an object (0 when haproxy does not report it for that object type). */
export function statNumber(object: StatObject, field: string): number {
	const value = object.fields.get(field);
	return typeof value === 'number' ? value : 0;
}

/** A text field of an object ('' when absent). */
export function statText(object: StatObject, field: string): string {
	const value = object.fields.get(field);
	return value === undefined ? '' : String(value);
}
