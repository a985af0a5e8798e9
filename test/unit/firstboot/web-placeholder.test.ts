// The HTTPS placeholder behind the URL the console shows, with the appliance's self-signed certificate; real curl.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { appliancePaths } from '../../../services/paths.js';
import { startWebPlaceholder } from '../../../firstboot/web-placeholder.js';

test('answers HTTPS with the self-signed certificate for http.hostName and a page pointing to the console', async (t) => {
	const root = await mkdtemp(path.join(tmpdir(), 'exlb-placeholder-'));
	const logs: string[] = [];
	const server = await startWebPlaceholder(appliancePaths(root), 'mail.example.com', '0.1.0-test', (line) => logs.push(line), 0);
	t.teardown(async () => {
		server?.close();
		await rm(root, { recursive: true, force: true });
	});
	t.truthy(server, logs.join('\n'));
	const port = (server?.address() as AddressInfo).port;
	const result = await execa('curl', ['-sS', '-k', '-v', `https://127.0.0.1:${port}/`], { all: true });
	t.regex(result.stdout, /<h1>exlb 0\.1\.0-test<\/h1>/);
	t.regex(result.all ?? '', /subject: CN=mail\.example\.com/);
});

test('a port already taken (the real web interface) is logged, not thrown', async (t) => {
	const root = await mkdtemp(path.join(tmpdir(), 'exlb-placeholder-'));
	const first = await startWebPlaceholder(appliancePaths(root), 'mail.example.com', 'x', () => {}, 0);
	const port = (first?.address() as AddressInfo).port;
	const logs: string[] = [];
	const second = await startWebPlaceholder(appliancePaths(root), 'mail.example.com', 'x', (line) => logs.push(line), port);
	t.teardown(async () => {
		first?.close();
		await rm(root, { recursive: true, force: true });
	});
	t.is(second, null);
	t.regex(logs.join('\n'), new RegExp(`web placeholder not started on port ${port}: .*EADDRINUSE`));
});
