// A client of the appliance's REST API over real HTTPS (the appliance's self-signed certificate is not checked):
// keeps the session cookie and the CSRF token the login returned, as a browser would, and gives each answer's
// status, headers and JSON body. Used where the API is reached from outside (QEMU boot tests).
import { request } from 'node:https';

export interface ApiAnswer {
	readonly status: number;
	readonly headers: Record<string, string | string[] | undefined>;
	readonly body: unknown;
}

export class ApiClient {
	#cookie: string | null = null;
	#csrf: string | null = null;

	constructor(readonly baseUrl: string) {}

	async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		const url = new URL(path, this.baseUrl);
		return new Promise<ApiAnswer>((resolve, reject) => {
			const outgoing = request(url, {
				method,
				rejectUnauthorized: false,
				timeout: 120_000,
				headers: {
					accept: 'application/json',
					...(payload === undefined ? {} : { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' }),
					...(this.#cookie === null ? {} : { cookie: this.#cookie }),
					...(this.#csrf === null || method === 'GET' ? {} : { 'x-csrf-token': this.#csrf }),
					...headers,
				},
			}, (incoming) => {
				const chunks: Buffer[] = [];
				incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
				incoming.on('end', () => {
					const setCookie = incoming.headers['set-cookie']?.[0];
					if (setCookie !== undefined) this.#cookie = setCookie.split(';')[0] ?? null;
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed: unknown = text;
					try {
						parsed = text === '' ? null : JSON.parse(text);
					} catch {
						// not JSON: the text itself
					}
					resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: parsed });
				});
			});
			outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${path}: no answer within 120 s`)));
			outgoing.on('error', reject);
			outgoing.end(payload);
		});
	}

	/** POST /api/v1/session; keeps the cookie and the CSRF token. */
	async login(username: string, password: string): Promise<ApiAnswer> {
		this.#cookie = null;
		this.#csrf = null;
		const answer = await this.send('POST', '/api/v1/session', { username, password });
		if (answer.status === 200) this.#csrf = (answer.body as { csrfToken: string }).csrfToken;
		return answer;
	}
}
