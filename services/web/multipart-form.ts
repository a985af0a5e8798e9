// A multipart form of one file and a few text fields (a certificate import, a backup to restore), read part by part
// with every wrong part named: an unknown field, a file where text belongs or the other way round, a value too long.
// A file over the route's limit is the route's own 413 (`tooLarge`).
import fastifyMultipart, { type MultipartFile, type MultipartValue } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FieldError } from '../engine/protocol.js';
import type { WebError } from './errors.js';

export interface MultipartForm {
	readonly fields: Readonly<Record<string, string>>;
	/** The part named `file`, or null when none came. */
	readonly file: { readonly filename: string; readonly content: Buffer } | null;
	/** What is wrong with the parts (empty: nothing). */
	readonly errors: FieldError[];
}

export async function readMultipartForm(request: FastifyRequest, known: ReadonlySet<string>, tooLarge: () => WebError): Promise<MultipartForm> {
	const fields: Record<string, string> = {};
	let file: MultipartForm['file'] = null;
	const errors: FieldError[] = [];
	for await (const part of request.parts()) {
		if (!known.has(part.fieldname)) {
			errors.push({ path: part.fieldname.slice(0, 64), message: 'is not a known field' });
			if (part.type === 'file') await (part as MultipartFile).toBuffer();
			continue;
		}
		if (part.type === 'file') {
			if (part.fieldname !== 'file') errors.push({ path: part.fieldname, message: 'must be a text field' });
			const content = await part.toBuffer();
			if (part.file.truncated) throw tooLarge();
			file = { filename: part.filename, content };
		} else {
			const value = part as MultipartValue;
			if (part.fieldname === 'file') errors.push({ path: 'file', message: 'must be a file' });
			else if (value.valueTruncated) errors.push({ path: part.fieldname, message: 'is too long' });
			else fields[part.fieldname] = String(value.value);
		}
	}
	if (file === null) errors.push({ path: 'file', message: 'is required' });
	return { fields, file, errors };
}

/**
 * The route options of such an upload: the route's body schema only describes the form for the API description
 * (readMultipartForm checks the parts as they stream), and a Content-Length over `maxBytes` is refused unread.
 */
export function multipartUpload(maxBytes: number, tooLarge: () => WebError) {
	return {
		validatorCompiler: () => () => true,
		onRequest: async (request: FastifyRequest) => {
			if (Number(request.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
		},
	};
}

/** Multipart parsing for a route scope: one file of at most `fileSize` bytes and at most `fields` small text fields. */
export async function registerMultipart(app: FastifyInstance, fileSize: number, fields: number): Promise<void> {
	await app.register(fastifyMultipart, {
		limits: { fileSize, files: 1, fields, parts: fields + 1, fieldSize: 1024, headerPairs: 20 },
		throwFileSizeLimit: true,
	});
}
