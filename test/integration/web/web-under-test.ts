// The web server as the appliance runs it: `node --import tsx services/web/main.ts` as a child process on a free
// loopback port, with a freshly generated self-signed certificate and the browser interface built for it, talking to
// the engine under test.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { listeningPorts, StopWaiting, waitFor } from '../../../services/apply/wait.js';
import { generateSelfSigned } from '../../../services/certs/self-signed.js';
import { freePorts } from '../../helpers/free-port.js';
import { startEngineUnderTest, type EngineUnderTest } from './engine-under-test.js';
import { ApiClient, tlsHostName } from '../../helpers/api-client.js';
import { builtWebUi } from '../../helpers/web-ui-build.js';

export { adminPassword, sessionCookie, tlsHostName } from '../../helpers/api-client.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

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

/** The web server in front of `engine` (default: the engine process without daemons, started here); stop() stops both. */
export async function startWebUnderTest(given?: EngineUnderTest): Promise<WebUnderTest> {
	const engine = given ?? await startEngineUnderTest();
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-web-'));
	const tlsFile = path.join(dir, 'tls.pem');
	await generateSelfSigned(tlsHostName, tlsFile);
	const pem = await readFile(tlsFile, 'utf8');
	const [port] = await freePorts(1) as [number];
	const ui = await builtWebUi();
	let output = '';
	const child = execa('node', ['--import', 'tsx', path.join(repoRoot, 'services/web/main.ts')], {
		cwd: repoRoot,
		reject: false,
		all: true,
		env: { EXLB_WEB_PORT: String(port), EXLB_WEB_ADDRESS: '127.0.0.1', EXLB_WEB_TLS: tlsFile, EXLB_ENGINE_SOCKET: engine.socketPath, EXLB_VERSION: '9.9.9-test', EXLB_WEB_UI: ui.dir },
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
