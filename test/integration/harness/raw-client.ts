// Runs raw-client.mjs (one scripted TLS connection) in the client namespace and returns what it saw.
import { fileURLToPath } from 'node:url';
import type { Lan } from './netns.js';
import { SITE_NAME } from './engine.js';

const SCRIPT = fileURLToPath(new URL('./raw-client.mjs', import.meta.url));

export type RawStep = { readonly send: string } | { readonly pause: number } | { readonly read: string };

export interface RawResponse {
	readonly label: string;
	readonly status: number;
	readonly headers: Record<string, string>;
	readonly body: string;
	/** Milliseconds from the connection's start to the response head, and to its last byte. */
	readonly headAtMs: number;
	readonly doneAtMs: number;
}

export interface RawResult {
	readonly responses: RawResponse[];
	/** The first error (connection reset, closed before a whole response...), or null. */
	readonly error: string | null;
	readonly closedAtMs: number | null;
	readonly elapsedMs: number;
}

/** One HTTP/1.1 request as raw text (Host: the site name; `body` sent with its Content-Length unless `length` says more). */
export function rawRequest(method: string, target: string, options: { headers?: Record<string, string>; body?: string; length?: number } = {}): string {
	const headers: Record<string, string> = { Host: SITE_NAME, ...options.headers };
	if (options.body !== undefined || options.length !== undefined) headers['Content-Length'] = String(options.length ?? Buffer.byteLength(options.body ?? ''));
	return `${method} ${target} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${options.body ?? ''}`;
}

/** Runs the steps on one TLS connection to `address:port` from the client namespace; bounded by `timeoutMs`. */
export async function rawExchange(lan: Lan, address: string, port: number, steps: readonly RawStep[], timeoutMs: number): Promise<RawResult> {
	const script = JSON.stringify({ host: address, port, servername: SITE_NAME, steps });
	const { stdout, stderr } = await lan.run('client', process.execPath, [SCRIPT, script], { timeoutMs });
	const line = stdout.trim().split('\n').at(-1) ?? '';
	if (!line.startsWith('{')) throw new Error(`raw-client printed no result: ${stdout}${stderr}`);
	return JSON.parse(line) as RawResult;
}
