// The web server as the appliance runs it: `node --import tsx services/web/main.ts` as a child process on a free
// loopback port, with a freshly generated self-signed certificate, talking to the engine under test; and an HTTPS
// client for it (undici's fetch, the certificate pinned as the only CA, a cookie jar of one cookie).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { execa, type ResultPromise } from 'execa';
import { Agent, fetch, type BodyInit, type Response } from 'undici';
import { listeningPorts, StopWaiting, waitFor } from '../../../services/apply/wait.js';
import { generateSelfSigned } from '../../../services/certs/self-signed.js';
import { freePorts } from '../../helpers/free-port.js';
import { startEngineUnderTest, type EngineUnderTest } from './engine-under-test.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const tlsHostName = 'exlb.test';
export const sessionCookie = '__Host-exlb-session';

export interface WebUnderTest {
	readonly engine: EngineUnderTest;
	readonly port: number;
	readonly origin: string;
	readonly pem: string;
	readonly process: ResultPromise;
	/** What the web server wrote to stdout and stderr so far (its log). */
	output(): string;
	/** A new client with no cookie, optionally connecting from another loopback address. */
	client(localAddress?: string): ApiClient;
	/** Stops the web server, then the engine (test.after.always). */
	stop(): Promise<void>;
}

export async function startWebUnderTest(): Promise<WebUnderTest> {
	const engine = await startEngineUnderTest();
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-web-'));
	const tlsFile = path.join(dir, 'tls.pem');
	await generateSelfSigned(tlsHostName, tlsFile);
	const pem = await readFile(tlsFile, 'utf8');
	const [port] = await freePorts(1) as [number];
	let output = '';
	const child = execa('node', ['--import', 'tsx', path.join(repoRoot, 'services/web/main.ts')], {
		cwd: repoRoot,
		reject: false,
		all: true,
		env: { EXLB_WEB_PORT: String(port), EXLB_WEB_ADDRESS: '127.0.0.1', EXLB_WEB_TLS: tlsFile, EXLB_ENGINE_SOCKET: engine.socketPath, EXLB_VERSION: '9.9.9-test' },
	});
	child.all?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
	const stop = async () => {
		child.kill('SIGTERM');
		await child;
		await engine.stop();
	};
	try {
		await waitFor(`the web server listening on port ${port}`, 60_000, async () => {
			if (child.exitCode !== null) throw new StopWaiting(`the web server exited (${child.exitCode}): ${output}`);
			return (await listeningPorts(child.pid!)).has(port);
		}, 50);
	} catch (error) {
		await stop();
		throw error;
	}
	const origin = `https://127.0.0.1:${port}`;
	return { engine, port, origin, pem, process: child, output: () => output, client: (localAddress) => new ApiClient(origin, pem, localAddress), stop };
}

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
}

export class ApiClient {
	cookie: string | null = null;
	csrfToken: string | null = null;
	readonly #agent: Agent;

	constructor(readonly origin: string, pem: string, localAddress?: string) {
		this.#agent = new Agent({ connect: { ca: pem, servername: tlsHostName }, ...(localAddress === undefined ? {} : { localAddress }) });
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
		const response = await fetch(`${this.origin}${pathname}`, { method, headers, body, dispatcher: this.#agent });
		const text = await response.text();
		const setCookies = response.headers.getSetCookie();
		for (const line of setCookies) {
			const [pair] = line.split(';');
			if (pair?.startsWith(`${sessionCookie}=`)) this.cookie = pair.endsWith('=') ? null : pair;
		}
		const isJson = (response.headers.get('content-type') ?? '').includes('json');
		return { status: response.status, headers: response.headers, setCookies, body: isJson && text !== '' ? JSON.parse(text) : text, text };
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

/** The password the tests change the factory one to. */
export const adminPassword = 'tulip lantern orbit 2031';

/** Logs in with the factory password and changes it; returns the logged-in client. */
export async function loggedInAdmin(web: WebUnderTest, current = 'admin'): Promise<ApiClient> {
	const client = web.client();
	const login = await client.login('admin', current);
	if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
	if (login.body.passwordChangeRequired === true) {
		const changed = await client.request('PUT', '/api/v1/account/password', { json: { current, new: adminPassword } });
		if (changed.status !== 204) throw new Error(`password change failed: ${changed.status} ${changed.text}`);
	}
	return client;
}

/** Starts the web server before this file's tests (and with `withAdmin`, logs in and changes the factory password), stops it after. */
export function webForThisFile(options: { readonly withAdmin: boolean }): { readonly web: WebUnderTest; readonly admin: ApiClient } {
	let web: WebUnderTest | undefined;
	let admin: ApiClient | undefined;
	test.before(async () => {
		web = await startWebUnderTest();
		if (options.withAdmin) admin = await loggedInAdmin(web);
	});
	test.after.always(() => web?.stop());
	return {
		get web() {
			if (web === undefined) throw new Error('the web server is started in test.before');
			return web;
		},
		get admin() {
			if (admin === undefined) throw new Error('webForThisFile({ withAdmin: true }) logs the admin in');
			return admin;
		},
	};
}
