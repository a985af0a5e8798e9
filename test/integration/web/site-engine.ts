// The engine as exlb-engine.service composes it (services/engine/compose.ts), inside the test's process
// with the integration site's apply options: its daemons (the image's stunnel and haproxy) run in the balancer's
// network namespace. The web server under test talks to it as on the appliance.
import path from 'node:path';
import { noSystemControl } from '../../../services/appliance/system-control.js';
import { composeEngine } from '../../../services/engine/compose.js';
import type { Site } from '../harness/site.js';
import type { EngineUnderTest } from './engine-under-test.js';

/** `historyIntervalMs`: how often the traffic history is sampled (the appliance: 10 s; a test wants its charts sooner). */
export async function startSiteEngine(site: Site, historyIntervalMs = 10_000): Promise<EngineUnderTest> {
	const { paths } = site.engine.applyOptions;
	const engineLog: string[] = [];
	const log = (line: string) => engineLog.push(line);
	const socketPath = path.join(site.dir, 'engine.sock');
	const { server, sampler } = composeEngine({
		apply: site.engine.applyOptions,
		system: noSystemControl(log),
		release: { version: '9.9.9', buildDate: '2026-01-01' },
		log,
		auditJournal: () => {},
		socket: { socketPath, allowedUids: [], socketGid: null },
		historyIntervalMs,
	});
	await server.listen();
	return {
		paths,
		socketPath,
		get systemLog() {
			return engineLog.filter((line) => line.startsWith('no systemd on this machine'));
		},
		output: () => engineLog.join('\n'),
		stop: async () => {
			sampler.stop();
			await server.close();
		},
	};
}
