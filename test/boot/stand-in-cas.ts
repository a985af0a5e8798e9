// A stand-in CAS on the host for the boot tests (the guest reaches it at QEMU's host address 10.0.2.2): answers
// every request, health checks included, with its name and the path.
import { createServer, type Server } from 'node:http';
import { freePort } from '../helpers/qemu.js';

export async function casServer(name: string): Promise<{ server: Server; port: number }> {
	const port = await freePort();
	const server = createServer((request, response) => {
		response.writeHead(200, { 'content-type': 'text/plain' });
		response.end(`${name} ${request.url}\n`);
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return { server, port };
}
