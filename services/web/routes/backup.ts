// Backup and restore: the download of one file holding the saved configuration, the imported certificates with
// their keys and the history's metadata (encrypted with a password, mandatory when keys are inside), and its
// restore as a multipart upload of at most 640 KiB: checked, applied, saved, or refused with nothing changed.
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { maxBackupBytes } from '../../backup/format.js';
import { operations, type ParamsOf } from '../../engine/protocol.js';
import { callEngine, type WebApp } from '../context.js';
import { WebError } from '../errors.js';
import { multipartUpload, readMultipartForm, registerMultipart } from '../multipart-form.js';
import { optionalBody } from '../optional-body.js';
import { responses, tags } from '../route-schemas.js';

const create = operations['backup.create'];
const restore = operations['backup.restore'];
/** The file plus the multipart envelope and the two small fields. */
const maxUploadBytes = maxBackupBytes + 8 * 1024;
const uploadFields = new Set(['file', 'password', 'includeNetwork']);

/** The upload's form, for the API description (the parts are read and checked by hand below). */
const RestoreForm = Type.Object({
	file: Type.String({ format: 'binary', description: 'a backup file made by POST /api/v1/backup, at most 640 KiB' }),
	password: Type.Optional({ ...restore.params.properties.password, description: 'the password the backup was made with' }),
	includeNetwork: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: restore.params.properties.includeNetwork.description })),
}, { additionalProperties: false });

function tooLarge(): WebError {
	return new WebError(413, 'too-large', `the backup file is larger than ${maxBackupBytes / 1024} KiB`, [{ path: 'file', message: 'too large' }]);
}

/** Reads the multipart parts into the engine's restore parameters, naming every part that is wrong. */
async function readUpload(request: FastifyRequest): Promise<ParamsOf<'backup.restore'>> {
	if (!request.isMultipart()) throw new WebError(415, 'unsupported-media-type', 'send the backup as multipart/form-data (fields file, password, includeNetwork)');
	const { fields, file, errors } = await readMultipartForm(request, uploadFields, tooLarge);
	if (fields.includeNetwork !== undefined && !['true', 'false'].includes(fields.includeNetwork)) errors.push({ path: 'includeNetwork', message: 'must be true or false' });
	if (errors.length > 0 || file === null) throw new WebError(422, 'invalid', `the upload was refused: ${errors.map((error) => `${error.path} ${error.message}`).join('; ')}`, errors);
	return {
		contentBase64: file.content.toString('base64'),
		...(fields.password === undefined || fields.password === '' ? {} : { password: fields.password }),
		includeNetwork: fields.includeNetwork === 'true',
	};
}

export async function backupRoutes(app: WebApp): Promise<void> {
	await registerMultipart(app, maxBackupBytes, 2);

	app.post('/api/v1/backup', {
		schema: {
			tags: [tags.backup], summary: 'Download a backup',
			description: `${create.description}. Body: {"password"} (at least 8 characters; required when certificates are imported: the file is then encrypted with AES-256-GCM, `
				+ 'the key derived with scrypt). The answer is the file itself (application/octet-stream, named by Content-Disposition; X-Exlb-Backup-Manifest holds its manifest as JSON). '
				+ '404 while nothing is saved.',
			body: create.params,
			produces: ['application/octet-stream'],
			response: responses(200, Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the backup file' })),
		},
		preValidation: optionalBody,
	}, async (request, reply) => {
		const { fileName, contentBase64, manifest } = await callEngine(request, 'backup.create', request.body);
		void reply.header('content-type', 'application/octet-stream');
		void reply.header('content-disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
		void reply.header('cache-control', 'no-store');
		void reply.header('x-exlb-backup-manifest', JSON.stringify(manifest));
		return reply.send(Buffer.from(contentBase64, 'base64'));
	});

	app.post('/api/v1/backup/restore', {
		schema: {
			tags: [tags.backup], summary: 'Restore a backup',
			description: `${restore.description}. multipart/form-data with the fields file, password (if the backup is encrypted) and includeNetwork (true: also this `
				+ 'appliance\'s address, gateway and HA role from the backup; default false). A wrong password or a changed byte, a backup from a newer exlb, or a configuration '
				+ 'the daemons refuse is a 422 and changes nothing; an older backup is migrated (its notes are warnings).',
			consumes: ['multipart/form-data'],
			body: RestoreForm,
			response: responses(200, restore.result),
		},
		...multipartUpload(maxUploadBytes, tooLarge),
	}, async (request) => callEngine(request, 'backup.restore', await readUpload(request)));
}
