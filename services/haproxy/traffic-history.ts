// The last hour of traffic for the dashboard's charts, kept in the engine's memory (no database, gone at a restart):
// every interval, one `show stat typed` on the read-only socket becomes a sample of current sessions and requests
// per second per Exchange service and per Exchange server (summed over their backends). Requests per second come
// from the difference of haproxy's counters between two samples (HTTP requests for HTTP backends, sessions for TCP
// ones); a counter that went down (a reload's new worker starts from zero) counts from zero.
import type { Config } from '../config/schema.js';
import { backendServers, haproxyBackends, type BackendService } from '../render/haproxy-servers.js';
import { statNumber, statText, type StatObject } from './stat-typed.js';

/** The charts' services: one per HTTP service, HTTPS as a whole (ssl-forward), and each protocol (its clear and TLS backends together). */
export type ChartService = Exclude<BackendService, 'imaps' | 'pop3s' | 'smtps' | 'rpcEndpointMapper' | 'rpcClientAccess' | 'rpcAddressBook'> | 'rpc';

export function chartService(service: BackendService): ChartService {
	if (service === 'imaps' || service === 'pop3s' || service === 'smtps') return service.slice(0, -1) as ChartService;
	if (service === 'rpcEndpointMapper' || service === 'rpcClientAccess' || service === 'rpcAddressBook') return 'rpc';
	return service;
}

interface Reading {
	readonly sessions: number;
	/** Requests (HTTP) or sessions (TCP) since the previous sample, per second; null for the first sample. */
	readonly perSecond: number | null;
}

export interface TrafficSample {
	readonly time: number;
	/** Keyed `service:<name>` and `server:<address>`; empty when haproxy did not answer. */
	readonly values: ReadonlyMap<string, Reading>;
}

/** One line of a chart: a value per sample time, null where it was not measured. */
export interface TrafficSeries {
	readonly sessions: (number | null)[];
	readonly requestsPerSecond: (number | null)[];
}

export interface TrafficHistoryView {
	readonly intervalSeconds: number;
	/** Sample times, milliseconds since the epoch, oldest first. */
	readonly times: number[];
	readonly services: (TrafficSeries & { readonly service: ChartService })[];
	readonly servers: (TrafficSeries & { readonly address: string })[];
}

/** A request counter of a stat object: HTTP requests in HTTP mode, else sessions. */
const requestCounter = (object: StatObject) => (statText(object, 'mode') === 'http' ? statNumber(object, 'req_tot') : statNumber(object, 'stot'));

/** Keeps the samples of the last `keepMs` and turns `show stat typed` answers into new ones. */
export class TrafficHistory {
	readonly #samples: TrafficSample[] = [];
	#counters = new Map<string, number>();
	#previousTime: number | null = null;

	constructor(readonly intervalMs: number, readonly keepMs: number) {}

	/** A sample from one `show stat typed` answer (null: haproxy did not answer: a gap in the charts). */
	record(time: number, config: Config, stats: readonly StatObject[] | null): void {
		const values = new Map<string, { sessions: number; perSecond: number | null }>();
		if (stats === null) {
			this.#counters = new Map();
			this.#previousTime = null;
		} else {
			const byName = new Map(stats.map((object) => [`${object.proxy}/${object.name}`, object]));
			const elapsed = this.#previousTime === null ? null : (time - this.#previousTime) / 1000;
			const counters = new Map<string, number>();
			const add = (key: string, object: StatObject | undefined) => {
				if (object === undefined) return;
				const counter = requestCounter(object);
				const id = `${object.proxy}/${object.name}`;
				counters.set(id, counter);
				const before = this.#counters.get(id);
				const rate = elapsed === null || elapsed <= 0 || before === undefined ? null : (counter >= before ? counter - before : counter) / elapsed;
				const entry = values.get(key) ?? { sessions: 0, perSecond: rate === null ? null : 0 };
				entry.sessions += statNumber(object, 'scur');
				entry.perSecond = entry.perSecond === null || rate === null ? null : entry.perSecond + rate;
				values.set(key, entry);
			};
			for (const plan of haproxyBackends(config)) add(`service:${chartService(plan.service)}`, byName.get(`${plan.backend}/BACKEND`));
			for (const entry of backendServers(config)) add(`server:${entry.address}`, byName.get(`${entry.backend}/${entry.server}`));
			this.#counters = counters;
			this.#previousTime = time;
		}
		this.#samples.push({ time, values });
		while (this.#samples.length > 0 && this.#samples[0]!.time < time - this.keepMs) this.#samples.shift();
	}

	get samples(): readonly TrafficSample[] {
		return this.#samples;
	}

	view(): TrafficHistoryView {
		const keys = new Set(this.#samples.flatMap((sample) => [...sample.values.keys()]));
		const series = (key: string): TrafficSeries => ({
			sessions: this.#samples.map((sample) => sample.values.get(key)?.sessions ?? null),
			requestsPerSecond: this.#samples.map((sample) => {
				const rate = sample.values.get(key)?.perSecond;
				return rate === undefined || rate === null ? null : Math.round(rate * 100) / 100;
			}),
		});
		const named = (prefix: string) => [...keys].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)).sort();
		return {
			intervalSeconds: this.intervalMs / 1000,
			times: this.#samples.map((sample) => sample.time),
			services: named('service:').map((service) => ({ service: service as ChartService, ...series(`service:${service}`) })),
			servers: named('server:').map((address) => ({ address, ...series(`server:${address}`) })),
		};
	}
}

export interface TrafficSampler {
	readonly history: TrafficHistory;
	stop(): void;
}

/**
 * Samples every `intervalMs`: `read` gives the running configuration and haproxy's `show stat typed` (null when
 * haproxy does not answer). The timer does not keep the process alive; a failed read is a gap, never a crash.
 */
export function startTrafficSampler(
	intervalMs: number,
	read: () => Promise<{ config: Config; stats: readonly StatObject[] | null }>,
	options: { keepMs?: number; now?: () => number; log?: (line: string) => void } = {},
): TrafficSampler {
	const history = new TrafficHistory(intervalMs, options.keepMs ?? 3_600_000);
	const now = options.now ?? Date.now;
	let timer: NodeJS.Timeout | null = null;
	let stopped = false;
	let failures = 0;
	const tick = async () => {
		try {
			const { config, stats } = await read();
			history.record(now(), config, stats);
			failures = 0;
		} catch (error) {
			if (failures++ === 0) options.log?.(`traffic history: a sample failed: ${(error as Error).message}`);
		}
		if (!stopped) timer = setTimeout(() => void tick(), intervalMs).unref();
	};
	timer = setTimeout(() => void tick(), 0).unref();
	return {
		history,
		stop: () => {
			stopped = true;
			if (timer !== null) clearTimeout(timer);
		},
	};
}
