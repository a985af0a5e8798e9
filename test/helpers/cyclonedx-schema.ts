// Validates a CycloneDX 1.6 JSON document against the vendored schemas (test/fixtures/schemas/cyclonedx), offline.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const schemaDir = fileURLToPath(new URL('../fixtures/schemas/cyclonedx/', import.meta.url));
// ajv-formats is CommonJS: NodeNext types its default import as the module object, but it is the plugin function.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

let compiled: Promise<ValidateFunction> | undefined;

async function schemaValidator(): Promise<ValidateFunction> {
	const load = async (name: string) => JSON.parse(await readFile(path.join(schemaDir, name), 'utf8')) as Record<string, unknown>;
	const [bom, spdx, jsf] = await Promise.all(['bom-1.6.SNAPSHOT.schema.json', 'spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json'].map(load));
	const ajv = new Ajv({
		strict: false,
		allErrors: true,
		// The bom schema's $refs resolve against its $id to these addresses; nothing is fetched.
		schemas: { 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': spdx!, 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': jsf! },
		loadSchema: (uri: string) => Promise.reject(new Error(`remote schema ${uri} is not vendored`)),
	});
	addFormats(ajv);
	// ajv-formats has no "idn-email" or "iri-reference": accepted unchecked, as the CycloneDX library's own validator does.
	ajv.addFormat('idn-email', true);
	ajv.addFormat('iri-reference', true);
	return ajv.compile(bom!);
}

/** The schema violations of `json` ("/components/3/purl: must be string"...); [] when it is valid CycloneDX 1.6. */
export async function cycloneDxErrors(json: string): Promise<string[]> {
	compiled ??= schemaValidator();
	const validate = await compiled;
	return validate(JSON.parse(json)) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? error.keyword}`);
}
