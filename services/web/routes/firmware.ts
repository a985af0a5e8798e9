// Firmware: both slots with their versions and states (and the current or last install's steps, which the web
// interface follows), the install of an update bundle as a multipart upload streamed to the engine (never held
// whole: the bundle of a whole system is about 85 MB), and "boot the previous firmware". Both changes ask for the
// password again. A refused bundle is a 400 naming the form field `bundle` and the check that failed.
import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Multipart, MultipartFile, MultipartValue } from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { EngineProblem } from '../../engine/client.js';
import { operations, type FieldError, type ResultOf } from '../../engine/protocol.js';
import { reauthenticate } from '../auth/password-check.js';
import { actorOf, callEngine, type WebApp } from '../context.js';
import { WebError } from '../errors.js';
import { engineRoute } from '../engine-route.js';
import { multipartUpload, registerMultipart } from '../multipart-form.js';
import { PasswordAgain, responses, tags } from '../route-schemas.js';

const install = operations['firmware.install'];
const bootPrevious = operations['firmware.bootPrevious'];

/** A bundle carries one system slot's image (640 MiB on this disk layout) and its manifest: anything larger is not one. */
export const maxBundleBytes = 1024 * 1024 * 1024;
/** The bundle plus the multipart envelope and the two small fields. */
const maxUploadBytes = maxBundleBytes + 8 * 1024;

/** The upload's form, for the API description (the parts are read and checked by hand below, in this order). */
const InstallForm = Type.Object({
	password: Type.String({ description: 'the account\'s password, asked again; before the bundle' }),
	force: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: `${install.params.properties.force.description}; before the bundle (default false)` })),
	bundle: Type.String({ format: 'binary', description: 'the update bundle (.exlbfw): the form\'s last part' }),
}, { additionalProperties: false });

function tooLarge(): WebError {
	return new WebError(413, 'too-large', `the bundle is larger than any firmware bundle (${maxBundleBytes / 1024 / 1024} MiB)`, [{ path: 'bundle', message: 'too large' }]);
}

function refused(errors: readonly FieldError[]): WebError {
	return new WebError(400, 'invalid', `the upload was refused: ${errors.map((error) => `${error.path} ${error.message}`).join('; ')}`, errors);
}

/** Reads what is left of an upload's part and drops it, so the answer goes out after the whole request was read. */
async function drain(file: Readable): Promise<void> {
	file.resume();
	await finished(file).catch(() => {});
}

/** What is wrong with the fields that came before the bundle. */
function fieldErrors(fields: Readonly<Record<string, string>>): FieldError[] {
	const errors: FieldError[] = [];
	if (fields.password === undefined) errors.push({ path: 'password', message: 'is required, before the bundle (the form\'s fields come first, the file last)' });
	else if (fields.password === '') errors.push({ path: 'password', message: 'is required: the account\'s password, asked again' });
	if (fields.force !== undefined && !['true', 'false'].includes(fields.force)) errors.push({ path: 'force', message: 'must be true or false' });
	return errors;
}

/** The bundle part: the password checked again, then the file streamed to the engine; what the engine leaves unread is drained. */
async function installBundle(request: FastifyRequest, fields: Readonly<Record<string, string>>, part: MultipartFile): Promise<ResultOf<'firmware.install'>> {
	try {
		const errors = fieldErrors(fields);
		if (errors.length > 0) throw refused(errors);
		await reauthenticate(request, fields.password ?? '');
		return await request.server.web.engine.stream('firmware.install', { force: fields.force === 'true' }, actorOf(request), part.file).catch((error: unknown) => {
			if (part.file.truncated) throw tooLarge();
			// The bundle itself was refused: the request's fault, named by its field.
			if (error instanceof EngineProblem && error.problem.kind === 'invalid') throw refused(error.problem.errors ?? [{ path: 'bundle', message: error.problem.message }]);
			throw error;
		});
	} finally {
		await drain(part.file);
	}
}

/** One part before the bundle: a known text field, kept in `fields`. */
function readField(part: Multipart, fields: Record<string, string>): void {
	if (!['password', 'force', 'bundle'].includes(part.fieldname)) throw refused([{ path: part.fieldname.slice(0, 64), message: 'is not a known field' }]);
	if (part.type === 'file') throw refused([{ path: part.fieldname, message: 'must be a text field' }]);
	if (part.fieldname === 'bundle') throw refused([{ path: 'bundle', message: 'must be a file' }]);
	const value = part as MultipartValue;
	if (value.valueTruncated) throw refused([{ path: part.fieldname, message: 'is too long' }]);
	fields[part.fieldname] = String(value.value);
}

/**
 * Reads the form part by part and installs the bundle when it comes. Once the install is done, or the form refused,
 * the rest of the request is still read (and dropped) before the answer, which a client gets only after sending it all.
 */
async function installFromForm(request: FastifyRequest): Promise<ResultOf<'firmware.install'>> {
	if (!request.isMultipart()) throw new WebError(415, 'unsupported-media-type', 'send the bundle as multipart/form-data (fields password and force, then the file bundle)');
	const fields: Record<string, string> = {};
	let outcome: { result: ResultOf<'firmware.install'> } | { failure: unknown } | undefined;
	for await (const part of request.parts()) {
		if (outcome === undefined && part.type === 'file' && part.fieldname === 'bundle') {
			outcome = await installBundle(request, fields, part).then((result) => ({ result }), (failure: unknown) => ({ failure }));
			continue;
		}
		try {
			// Parts after the bundle come too late to change the install: they are read and left aside.
			if (outcome === undefined) readField(part, fields);
		} catch (failure) {
			outcome = { failure };
		} finally {
			if (part.type === 'file') await drain(part.file);
		}
	}
	if (outcome === undefined) throw refused([...fieldErrors(fields), { path: 'bundle', message: 'is required' }]);
	if ('failure' in outcome) throw outcome.failure;
	return outcome.result;
}

export async function firmwareRoutes(app: WebApp): Promise<void> {
	await registerMultipart(app, maxBundleBytes, 2);

	engineRoute(app, 'GET', '/api/v1/firmware', 'firmware.status', { tag: tags.firmware, summary: 'Firmware slots and the current or last install' });

	app.post('/api/v1/firmware', {
		schema: {
			tags: [tags.firmware], summary: 'Install an update bundle',
			description: `${install.description}. multipart/form-data: password (asked again) and force (true: allow an older version), then the file bundle, last; `
				+ 'it is streamed into the slot as it arrives. A bundle refused (unsigned or signed by another key, changed, truncated, for another appliance, older '
				+ 'than the running version without force) is a 400 naming bundle and the check; a wrong password a 403; another install running a 409. '
				+ 'GET /api/v1/firmware shows the steps as they are done. The new firmware runs after a reboot (POST /api/v1/system/reboot).',
			consumes: ['multipart/form-data'],
			body: InstallForm,
			response: responses(200, install.result),
		},
		...multipartUpload(maxUploadBytes, tooLarge),
	}, async (request) => installFromForm(request));

	app.post('/api/v1/firmware/boot-previous', {
		schema: {
			tags: [tags.firmware], summary: 'Boot the previous firmware',
			description: `${bootPrevious.description}; asks for the password again. A slot that is not good is a 409 and changes nothing; the change is in force at the next reboot.`,
			body: PasswordAgain, response: responses(200, bootPrevious.result),
		},
	}, async (request) => {
		await reauthenticate(request, request.body.password);
		return callEngine(request, 'firmware.bootPrevious', {});
	});
}
