// Brings each daemon to its new rendered config: start, reload (only if its file changed) or stop, in an order
// that lets a port change hands between stunnel and haproxy (a service switched between ssl-offload and ssl-forward).
import { allDaemons, isStunnel, type Daemon } from '../render/daemons.js';
import type { ServiceController } from './controller.js';
import type { DaemonTexts } from './render-dir.js';

export interface ConvergeResult {
	readonly started: Daemon[];
	readonly reloaded: Daemon[];
	readonly stopped: Daemon[];
	readonly unchanged: Daemon[];
}

/** TCP ports a rendered file makes its daemon listen on. */
export function listenPorts(daemon: Daemon, text: string | null): Set<number> {
	const pattern = daemon === 'haproxy' ? /^\s+bind [^\s@]*:(\d+)(?:\s|$)/gm : isStunnel(daemon) ? /^accept = (?:.*:)?(\d+)$/gm : null;
	if (text === null || pattern === null) return new Set();
	return new Set([...text.matchAll(pattern)].map((match) => Number(match[1])));
}

/** A stunnel whose port haproxy is about to bind must let go of it first. */
function releasesToHaproxy(daemon: Daemon, before: DaemonTexts, after: DaemonTexts): boolean {
	const wanted = listenPorts('haproxy', after.haproxy);
	return [...listenPorts(daemon, before[daemon])].some((port) => wanted.has(port));
}

/**
 * `prepare` runs before a daemon is started or reloaded (apply refreshes stunnel's stable config copy there).
 * A daemon in `manual` is never started here (startup "manual"): reloaded if it runs, stopped if it is no longer needed.
 */
export async function converge(
	controller: ServiceController,
	before: DaemonTexts,
	after: DaemonTexts,
	prepare: (daemon: Daemon) => Promise<void>,
	manual: ReadonlySet<Daemon> = new Set(),
): Promise<ConvergeResult> {
	const result: ConvergeResult = { started: [], reloaded: [], stopped: [], unchanged: [] };
	for (const daemon of allDaemons.filter(isStunnel)) {
		if (releasesToHaproxy(daemon, before, after) && (await controller.isRunning(daemon))) {
			await controller.stop(daemon);
			result.stopped.push(daemon);
		}
	}
	// haproxy first (allDaemons' order): stunnel hands connections to its sockets, keepalived tracks it.
	for (const daemon of allDaemons) {
		const running = await controller.isRunning(daemon);
		if (after[daemon] === null) {
			if (running) {
				await controller.stop(daemon);
				result.stopped.push(daemon);
			}
		} else if (!running && manual.has(daemon)) {
			result.unchanged.push(daemon);
		} else if (!running) {
			await prepare(daemon);
			await controller.start(daemon);
			result.started.push(daemon);
		} else if (after[daemon] !== before[daemon]) {
			await prepare(daemon);
			await controller.reload(daemon);
			result.reloaded.push(daemon);
		} else {
			result.unchanged.push(daemon);
		}
	}
	return result;
}
