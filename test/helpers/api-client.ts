// An HTTPS client of the REST API for the tests and the benchmarks, as a browser uses it: undici's fetch, a cookie jar
// of one cookie (the session's), the CSRF token sent with every state-changing request of a session. The server's
// self-signed certificate is pinned as the only CA when the test knows it (the web server under test), else not
// checked (an appliance booted under QEMU makes its own); an optional source address (distinct loopback addresses
// are distinct clients).
import { Agent, fetch, type BodyInit, type Response } from 'undici';

export const tlsHostName = 'exlb.test';
export const sessionCookie = '__Host-exlb-session';

export interface ApiResponse {
	readonly status: number;
	readonly headers: Response['headers'];
	readonly setCookies: string[];
	/** Parsed JSON when the answer is JSON, else the text. */
	readonly body: any;
	readonly text: string;
}

export interface RequestOptions {
	readonly json?: unknown;
	readonly body?: BodyInit;
	readonly headers?: Record<string, string>;
	/** Send the session's CSRF token (default: yes, when there is one). */
	readonly csrf?: boolean;
	readonly bearer?: string;
	/** Read the answer as bytes (a download): `body` is a Buffer, `text` is empty. */
	readonly binary?: boolean;
}

export class ApiClient {
	cookie: string | null = null;
	csrfToken: string | null = null;
	readonly #agent: Agent;

	/** `pem`: the server's certificate, pinned; null: not checked. */
	constructor(readonly origin: string, pem: string | null, localAddress?: string) {
		const tls = pem === null ? { rejectUnauthorized: false } : { ca: pem, servername: tlsHostName };
		// Long enough for a request the appliance answers after an apply, or a firmware install, under QEMU TCG.
		// An idle connection is dropped after 10 s, far below the server's keep-alive (72 s): a request never goes out on
		// a connection the server is closing (under TCG a slow guest makes that race likely).
		this.#agent = new Agent({
			connect: tls, headersTimeout: 300_000, bodyTimeout: 300_000, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 10_000,
			...(localAddress === undefined ? {} : { localAddress }),
		});
	}

	async request(method: string, pathname: string, options: RequestOptions = {}): Promise<ApiResponse> {
		const headers: Record<string, string> = { ...options.headers };
		if (this.cookie !== null) headers.cookie ??= this.cookie;
		if (this.csrfToken !== null && options.csrf !== false && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] ??= this.csrfToken;
		if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
		let body = options.body;
		if (options.json !== undefined) {
			body = JSON.stringify(options.json);
			headers['content-type'] ??= 'application/json';
		}
		// A body given as a stream (an upload written while it is sent) needs half-duplex, as fetch requires.
		const streamed = body instanceof ReadableStream ? { duplex: 'half' as const } : {};
		const response = await fetch(`${this.origin}${pathname}`, { method, headers, body, dispatcher: this.#agent, ...streamed }).catch((error: unknown) => {
			// fetch says only "fetch failed": the cause (a refused or reset connection, a TLS error) names what happened.
			const cause = (error as { cause?: { code?: string; message?: string } }).cause;
			throw new Error(`${method} ${this.origin}${pathname}: ${(error as Error).message}${cause === undefined ? '' : `: ${cause.code ?? ''} ${cause.message ?? ''}`}`, { cause: error });
		});
		const bytes = options.binary === true ? Buffer.from(await response.arrayBuffer()) : null;
		const text = bytes === null ? await response.text() : '';
		const setCookies = response.headers.getSetCookie();
		for (const line of setCookies) {
			const [pair] = line.split(';');
			if (pair?.startsWith(`${sessionCookie}=`)) this.cookie = pair.endsWith('=') ? null : pair;
		}
		const isJson = (response.headers.get('content-type') ?? '').includes('json');
		return { status: response.status, headers: response.headers, setCookies, body: bytes ?? (isJson && text !== '' ? JSON.parse(text) : text), text };
	}

	async login(username: string, password: string): Promise<ApiResponse> {
		const response = await this.request('POST', '/api/v1/session', { json: { username, password } });
		if (response.status === 200) this.csrfToken = response.body.csrfToken;
		return response;
	}

	close(): Promise<void> {
		return this.#agent.close();
	}
}

/** PATCH /api/v1/config with a merge patch; anything but 200 is an error naming the answer. */
export async function patchConfig(client: ApiClient, patch: unknown): Promise<ApiResponse> {
	const answer = await client.request('PATCH', '/api/v1/config', { json: patch, headers: { 'content-type': 'application/merge-patch+json' } });
	if (answer.status !== 200) throw new Error(`PATCH /api/v1/config answered ${answer.status}: ${answer.text}`);
	return answer;
}

/** The password the tests change the factory one to. */
export const adminPassword = 'tulip lantern orbit 2031';

/** Logs in with the factory password and changes it; returns the logged-in client. */
export async function loggedInAdmin(web: { client(): ApiClient }, current = 'admin'): Promise<ApiClient> {
	const client = web.client();
	const login = await client.login('admin', current);
	if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
	if (login.body.passwordChangeRequired === true) {
		const changed = await client.request('PUT', '/api/v1/account/password', { json: { current, new: adminPassword } });
		if (changed.status !== 204) throw new Error(`password change failed: ${changed.status} ${changed.text}`);
	}
	return client;
}
