// Certificates: the list (with expiry and who uses each), import of a .pem (key + chain) or .pfx (+ password) as a
// multipart upload of at most 64 KiB, deletion of an unused one, and a key + CSR made on the appliance.
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { CertificateSchema } from '../../config/schema.js';
import { operations, type ParamsOf } from '../../engine/protocol.js';
import { callEngine, type WebApp } from '../context.js';
import { WebError } from '../errors.js';
import { engineRoute } from '../engine-route.js';
import { multipartUpload, readMultipartForm, registerMultipart } from '../multipart-form.js';
import { NoContent, responses, tags } from '../route-schemas.js';

const importOperation = operations['certificates.import'];
export const maxCertificateBytes = 64 * 1024;
/** The file plus the multipart envelope and the two small fields. */
const maxUploadBytes = maxCertificateBytes + 8 * 1024;
const uploadFields = new Set(['file', 'name', 'password']);

/** The upload's form, for the API description (the parts are read and checked by hand below). */
const UploadForm = Type.Object({
	file: Type.String({ format: 'binary', description: '.pem (private key, certificate, chain) or .pfx/.p12, at most 64 KiB' }),
	name: importOperation.params.properties.name,
	password: Type.Optional({ ...importOperation.params.properties.password, description: 'the .pfx password' }),
}, { additionalProperties: false });

const CertificateName = Type.Object({ name: CertificateSchema.properties.name }, { additionalProperties: false });

function tooLarge(): WebError {
	return new WebError(413, 'too-large', `the certificate file is larger than ${maxCertificateBytes / 1024} KiB`, [{ path: 'file', message: 'too large' }]);
}

/** PEM by its name or its first bytes; anything else is taken as PKCS#12. */
function isPem(filename: string, content: Buffer): boolean {
	if (/\.(pem|crt|cer|key)$/i.test(filename)) return true;
	if (/\.(pfx|p12)$/i.test(filename)) return false;
	return content.subarray(0, 64).toString('latin1').includes('-----BEGIN');
}

/** Reads the multipart parts into the engine's import parameters, naming every part that is wrong. */
async function readUpload(request: FastifyRequest): Promise<ParamsOf<'certificates.import'>> {
	if (!request.isMultipart()) throw new WebError(415, 'unsupported-media-type', 'send the certificate as multipart/form-data (fields file, name, password)');
	const { fields, file, errors } = await readMultipartForm(request, uploadFields, tooLarge);
	if (fields.name === undefined) errors.push({ path: 'name', message: 'is required' });
	if (errors.length > 0 || file === null || fields.name === undefined) {
		throw new WebError(422, 'invalid', `the upload was refused: ${errors.map((error) => `${error.path} ${error.message}`).join('; ')}`, errors);
	}
	const password = fields.password === undefined ? {} : { password: fields.password };
	if (isPem(file.filename, file.content)) return { name: fields.name, pem: file.content.toString('utf8'), ...password };
	return { name: fields.name, pfxBase64: file.content.toString('base64'), ...password };
}

export async function certificateRoutes(app: WebApp): Promise<void> {
	await registerMultipart(app, maxCertificateBytes, 3);

	engineRoute(app, 'GET', '/api/v1/certificates', 'certificates.list', { tag: tags.certificates, summary: 'Certificates' });

	app.post('/api/v1/certificates', {
		schema: {
			tags: [tags.certificates], summary: 'Import a certificate',
			description: `${importOperation.description}. multipart/form-data with the fields file, name and (for a .pfx) password; at most 64 KiB (413 above). `
				+ 'An expired certificate is imported with a warning; a wrong PFX password or a key that does not match its certificate is refused (422).',
			consumes: ['multipart/form-data'],
			body: UploadForm,
			response: responses(201, importOperation.result),
		},
		...multipartUpload(maxUploadBytes, tooLarge),
	}, async (request, reply) => reply.code(201).send(await callEngine(request, 'certificates.import', await readUpload(request))));

	app.delete('/api/v1/certificates/:name', {
		schema: { tags: [tags.certificates], summary: 'Delete a certificate', description: operations['certificates.delete'].description, params: CertificateName, response: responses(204, NoContent) },
	}, async (request, reply) => {
		await callEngine(request, 'certificates.delete', request.params);
		return reply.code(204).send(null);
	});

	app.post('/api/v1/certificates/csr', {
		schema: { tags: [tags.certificates], summary: 'Make a key and a CSR', description: operations['certificates.csr'].description, body: operations['certificates.csr'].params, response: responses(200, operations['certificates.csr'].result) },
	}, async (request) => callEngine(request, 'certificates.csr', request.body));
}
