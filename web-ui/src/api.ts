// The REST API as the interface uses it: same-origin fetch with the session cookie, the CSRF token on every
// state-changing request, JSON in and out, and one error type carrying the API's field errors (path, message).
import { t } from './i18n/i18n.js';
export interface FieldError {
	readonly path: string;
	readonly message: string;
}

export class ApiError extends Error {
	override readonly name = 'ApiError';
	constructor(readonly status: number, readonly kind: string, message: string, readonly errors: readonly FieldError[], readonly retryAfterSeconds: number | null) {
		super(message);
	}
}

let csrfToken: string | null = null;
let onUnauthenticated: () => void = () => {};

export function setCsrfToken(token: string | null): void {
	csrfToken = token;
}

/** Called when an answer says the session is gone (expired, revoked, logged out elsewhere). */
export function whenUnauthenticated(handler: () => void): void {
	onUnauthenticated = handler;
}

export interface RequestOptions {
	/** Send the body as a JSON merge patch (RFC 7396). */
	readonly mergePatch?: boolean;
	/** A multipart body (a certificate upload) instead of JSON. */
	readonly form?: FormData;
	/** Do not treat a 401 as the session's end (the login form itself). */
	readonly quietUnauthenticated?: boolean;
}

/** The API's error body (or anything else a refusal came with) as an ApiError. */
function errorFrom(status: number, text: string, retryAfter: string | null): ApiError {
	let body: { error?: { kind?: string; message?: string; errors?: FieldError[] } } = {};
	try {
		body = JSON.parse(text);
	} catch {
		// not JSON: a proxy's page, or nothing
	}
	const retry = Number(retryAfter);
	return new ApiError(
		status,
		body.error?.kind ?? 'failed',
		// no message of the API's own (a proxy's page): the status, in the interface's words
		body.error?.message ?? t('api.failed', { status }),
		body.error?.errors ?? [],
		Number.isFinite(retry) && retry > 0 ? retry : null,
	);
}

async function errorOf(response: Response): Promise<ApiError> {
	return errorFrom(response.status, await response.text().catch(() => ''), response.headers.get('retry-after'));
}

/** Sends one request; an answer that is not 2xx becomes an ApiError (a 401 also ends the session, unless quiet). */
async function send(method: string, path: string, body: unknown, options: RequestOptions, accept: string): Promise<Response> {
	const headers: Record<string, string> = { accept };
	if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
	let payload: BodyInit | undefined;
	if (options.form !== undefined) payload = options.form;
	else if (body !== undefined) {
		headers['content-type'] = options.mergePatch ? 'application/merge-patch+json' : 'application/json';
		payload = JSON.stringify(body);
	}
	let response: Response;
	try {
		response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
	} catch (error) {
		throw new ApiError(0, 'unavailable', t('api.unreachable', { reason: (error as Error).message }), [], null);
	}
	if (!response.ok) {
		const error = await errorOf(response);
		if (response.status === 401 && !options.quietUnauthenticated) onUnauthenticated();
		throw error;
	}
	return response;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
	const response = await send(method, path, body, options, 'application/json');
	if (response.status === 204 || response.status === 202 && response.headers.get('content-length') === '0') return undefined as T;
	const text = await response.text();
	return (text === '' ? undefined : JSON.parse(text)) as T;
}

export interface DownloadedFile {
	readonly blob: Blob;
	/** The name Content-Disposition gives (`attachment; filename="…"`), else `fallbackName`. */
	readonly fileName: string;
	readonly headers: Headers;
}

/** The file name of a Content-Disposition header (the quoted or bare filename parameter), or null. */
export function fileNameOf(disposition: string | null): string | null {
	const match = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(disposition ?? '');
	const name = (match?.[1] ?? match?.[2] ?? '').replace(/[\\/]/g, '_');
	return name === '' ? null : name;
}

/** A request whose answer is a file (a backup): its bytes and its name; refusals are ApiErrors as with api(). */
export async function download(method: string, path: string, body: unknown, fallbackName: string): Promise<DownloadedFile> {
	const response = await send(method, path, body, {}, 'application/octet-stream, application/json');
	return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('content-disposition')) ?? fallbackName, headers: response.headers };
}

/** Hands a file to the browser as a download (an object URL on a link clicked once); answers the URL to revoke later. */
export function saveFile(file: DownloadedFile): string {
	const url = URL.createObjectURL(file.blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = file.fileName;
	link.hidden = true;
	document.body.append(link);
	link.click();
	link.remove();
	return url;
}

/**
 * POSTs a multipart form with XMLHttpRequest, whose upload reports its progress (fetch cannot): `onProgress` gets
 * the bytes sent and the total. The JSON answer, or an ApiError as with api() (a 401 also ends the session).
 */
export function upload<T = unknown>(path: string, form: FormData, onProgress: (sent: number, total: number) => void): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const request = new XMLHttpRequest();
		request.open('POST', path);
		request.setRequestHeader('accept', 'application/json');
		if (csrfToken !== null) request.setRequestHeader('x-csrf-token', csrfToken);
		request.upload.addEventListener('progress', (event) => {
			if (event.lengthComputable) onProgress(event.loaded, event.total);
		});
		request.addEventListener('load', () => {
			if (request.status >= 200 && request.status < 300) {
				try {
					resolve((request.responseText === '' ? undefined : JSON.parse(request.responseText)) as T);
				} catch (error) {
					reject(new ApiError(request.status, 'failed', t('api.unreadable', { reason: (error as Error).message }), [], null));
				}
				return;
			}
			if (request.status === 401) onUnauthenticated();
			reject(errorFrom(request.status, request.responseText, request.getResponseHeader('retry-after')));
		});
		const stopped = { error: () => t('api.uploadError'), abort: () => t('api.uploadAbort'), timeout: () => t('api.uploadTimeout') };
		for (const failure of ['error', 'abort', 'timeout'] as const) {
			request.addEventListener(failure, () => reject(new ApiError(0, 'unavailable', stopped[failure](), [], null)));
		}
		request.send(form);
	});
}
