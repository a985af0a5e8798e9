// Brings each daemon to its new rendered config: start, reload (only if its file changed) or stop, in an order
// that lets a port change hands between stunnel and haproxy (a service switched between ssl-offload and ssl-forward).
import { daemonConfigFile, type ServiceController, type Daemon } from './controller.js';
import type { DaemonTexts } from './render-dir.js';

export interface ConvergeResult {
	readonly started: Daemon[];
	readonly reloaded: Daemon[];
	readonly stopped: Daemon[];
	readonly unchanged: Daemon[];
}

/** TCP ports a rendered file makes its daemon listen on. */
export function listenPorts(daemon: Daemon, text: string | null): Set<number> {
	const pattern = daemon === 'haproxy' ? /^\s+bind [^\s@]*:(\d+)(?:\s|$)/gm : daemon === 'stunnel' ? /^accept = (?:.*:)?(\d+)$/gm : null;
	if (text === null || pattern === null) return new Set();
	return new Set([...text.matchAll(pattern)].map((match) => Number(match[1])));
}

function portsChangeHands(before: DaemonTexts, after: DaemonTexts): boolean {
	const take = (from: Daemon, to: Daemon) => {
		const released = listenPorts(from, before[daemonConfigFile[from]]);
		const wanted = listenPorts(to, after[daemonConfigFile[to]]);
		return [...wanted].some((port) => released.has(port));
	};
	return take('stunnel', 'haproxy') || take('haproxy', 'stunnel');
}

export async function converge(controller: ServiceController, before: DaemonTexts, after: DaemonTexts): Promise<ConvergeResult> {
	const result: ConvergeResult = { started: [], reloaded: [], stopped: [], unchanged: [] };
	// stunnel steps aside while haproxy takes or releases the port; it starts again on its new config below.
	if (portsChangeHands(before, after) && (await controller.isRunning('stunnel'))) {
		await controller.stop('stunnel');
		result.stopped.push('stunnel');
	}
	// haproxy first: stunnel hands connections to its sockets, keepalived tracks it.
	for (const daemon of ['haproxy', 'stunnel', 'keepalived'] as const) {
		const file = daemonConfigFile[daemon];
		const running = await controller.isRunning(daemon);
		if (after[file] === null) {
			if (running) {
				await controller.stop(daemon);
				result.stopped.push(daemon);
			}
		} else if (!running) {
			await controller.start(daemon);
			result.started.push(daemon);
		} else if (after[file] !== before[file]) {
			await controller.reload(daemon);
			result.reloaded.push(daemon);
		} else {
			result.unchanged.push(daemon);
		}
	}
	return result;
}
