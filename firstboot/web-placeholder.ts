// Until the web interface ships, the URL the console shows (https://<address>:4444/) answers with a page that says
// so and points to the console menu, over TLS with the appliance's self-signed certificate (services/certs).
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { ensureSelfSigned } from '../services/certs/self-signed.js';
import { selfSignedCertName } from '../services/config/schema.js';
import { certificateFile } from '../services/render/env.js';
import type { AppliancePaths } from '../services/paths.js';
import { webPort } from './texts.js';

const page = (version: string) =>
	`<!doctype html><html><head><meta charset="utf-8"><title>exlb</title></head><body><h1>exlb ${version}</h1>` +
	'<p>The web interface is not installed in this build yet. Use the console menu (VGA or serial console) to configure the network.</p></body></html>\n';

/** Starts the placeholder; resolves once it listens. A port already taken (the real web UI) is not an error. */
export async function startWebPlaceholder(paths: AppliancePaths, hostName: string, version: string, log: (line: string) => void, port = webPort): Promise<Server | null> {
	const certFile = certificateFile(paths, selfSignedCertName);
	await ensureSelfSigned(hostName, certFile);
	const pem = await readFile(certFile, 'utf8');
	const server = createServer({ key: pem, cert: pem }, (request, response) => {
		response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
		response.end(page(version));
	});
	return new Promise((resolve) => {
		server.once('error', (error) => {
			log(`web placeholder not started on port ${port}: ${error.message}`);
			resolve(null);
		});
		server.listen(port, () => {
			log(`web placeholder listening on port ${port}`);
			resolve(server);
		});
	});
}
