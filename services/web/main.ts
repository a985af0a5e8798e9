// Entry point of exlb-web.service (bundled to /usr/lib/exlb/exlb-web.mjs), running as the unprivileged user
// exlb-web: the REST API on https://<address>:4444/api/v1, a thin front end over the root engine's unix socket.
// Environment:
//   EXLB_WEB_PORT       TCP port (default 4444)
//   EXLB_WEB_ADDRESS    address to listen on (default 0.0.0.0: every IPv4 address)
//   EXLB_WEB_TLS        PEM file with the private key and the certificate chain (default /run/exlb-web/tls.pem under
//                       EXLB_ROOT, provided by the engine); SIGHUP reads it again (a replaced certificate)
//   EXLB_ENGINE_SOCKET  the engine's socket (default /run/exlb-engine/engine.sock under EXLB_ROOT)
//   EXLB_ROOT           prefix of the default paths above (tests: a temp dir)
//   EXLB_VERSION        the image version shown in the API description (from /usr/lib/exlb/release.env)
//   EXLB_WEB_UI         the built browser interface (default /usr/lib/exlb/web-ui; not under EXLB_ROOT: part of the image)
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:https';
import { causeChain } from '../cause-chain.js';
import { EngineClient } from '../engine/client.js';
import { appliancePaths } from '../paths.js';
import { buildWebServer } from './server.js';
import { waitFor } from '../apply/wait.js';

/** How long the web server waits at start for the engine to provide its certificate (the engine starts alongside). */
const tlsWaitMs = 180_000;

export class WebSettingsError extends Error {
	override readonly name = 'WebSettingsError';
}

export interface WebSettings {
	readonly port: number;
	readonly address: string;
	readonly tlsFile: string;
	readonly engineSocket: string;
	readonly version: string;
	readonly uiDir: string;
}

/** Where the image puts the browser interface (image/pipeline/appliance.ts links it to the bundles' layer). */
export const defaultWebUiDir = '/usr/lib/exlb/web-ui';

export function webSettings(environment: NodeJS.ProcessEnv): WebSettings {
	const paths = appliancePaths(environment.EXLB_ROOT ?? '/');
	const port = Number(environment.EXLB_WEB_PORT ?? '4444');
	if (!Number.isInteger(port) || port < 1 || port > 65535) throw new WebSettingsError(`EXLB_WEB_PORT=${JSON.stringify(environment.EXLB_WEB_PORT)} is not a port (1-65535)`);
	return {
		port,
		address: environment.EXLB_WEB_ADDRESS ?? '0.0.0.0',
		tlsFile: environment.EXLB_WEB_TLS ?? paths.webTlsFile,
		engineSocket: environment.EXLB_ENGINE_SOCKET ?? paths.engineSocket,
		version: environment.EXLB_VERSION ?? 'unknown',
		uiDir: environment.EXLB_WEB_UI ?? defaultWebUiDir,
	};
}

async function readTls(file: string): Promise<{ key: string; cert: string }> {
	try {
		const pem = await readFile(file, 'utf8');
		return { key: pem, cert: pem };
	} catch (error) {
		throw new WebSettingsError(`cannot read the TLS key and certificate from ${file} (EXLB_WEB_TLS)`, { cause: error });
	}
}

async function main(): Promise<void> {
	const settings = webSettings(process.env);
	if (!existsSync(settings.tlsFile)) {
		process.stderr.write(`exlb-web: waiting for the engine to provide ${settings.tlsFile}\n`);
		await waitFor(`the engine to provide ${settings.tlsFile}`, tlsWaitMs, () => existsSync(settings.tlsFile), 500).catch(() => {});
	}
	const engine = new EngineClient(settings.engineSocket);
	const app = await buildWebServer({ engine, tls: await readTls(settings.tlsFile), version: settings.version, uiDir: settings.uiDir });
	await app.listen({ port: settings.port, host: settings.address });
	process.on('SIGHUP', () => {
		readTls(settings.tlsFile).then(
			(tls) => {
				(app.server as Server).setSecureContext({ ...tls, minVersion: 'TLSv1.2' });
				app.log.info(`TLS certificate read again from ${settings.tlsFile}`);
			},
			(error: unknown) => app.log.error(causeChain(error)),
		);
	});
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.once(signal, () => {
			void app.close().finally(() => {
				engine.close();
				process.exit(0);
			});
		});
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`exlb-web: could not start: ${causeChain(error)}\n`);
	process.exit(1);
});
