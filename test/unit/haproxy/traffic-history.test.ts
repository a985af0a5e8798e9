// The dashboard's traffic history from captured `show stat typed` answers: sessions and requests per second per
// Exchange service (clear and TLS backends of a protocol together, RPC's three as one) and per Exchange server,
// rates from the counters' differences, a gap when haproxy does not answer, only the last hour kept.
import test from 'ava';
import { parseStatTyped, type StatObject } from '../../../services/haproxy/stat-typed.js';
import { TrafficHistory, startTrafficSampler } from '../../../services/haproxy/traffic-history.js';
import { waitFor } from '../../../services/apply/wait.js';
import { captureConfig, cas } from './capture-config.js';
import { fixture } from './fake-haproxy.js';

/** The captured objects with some counters raised: `changes` maps "proxy/name" to the fields to add to. */
function raised(objects: readonly StatObject[], changes: Record<string, Record<string, number>>): StatObject[] {
	return objects.map((object) => {
		const change = changes[`${object.proxy}/${object.name}`];
		if (change === undefined) return object;
		const fields = new Map(object.fields);
		for (const [field, add] of Object.entries(change)) fields.set(field, Number(fields.get(field) ?? 0) + add);
		return { ...object, fields };
	});
}

test('sessions and requests per second per service and per server, from two samples ten seconds apart', async (t) => {
	const stats = parseStatTyped(await fixture('show-stat-typed.txt'));
	const config = captureConfig();
	const history = new TrafficHistory(10_000, 3_600_000);
	history.record(1_000_000, config, stats);
	history.record(1_010_000, config, raised(stats, {
		'be_owa/BACKEND': { req_tot: 50, scur: 3 }, 'be_owa/cas1': { req_tot: 50, scur: 3 },
		'be_imaps/BACKEND': { stot: 20 }, 'be_imaps/cas1': { stot: 20 },
	}));
	const view = history.view();
	t.is(view.intervalSeconds, 10);
	t.deepEqual(view.times, [1_000_000, 1_010_000]);
	const service = (name: string) => view.services.find((entry) => entry.service === name);
	t.deepEqual(service('owa')?.requestsPerSecond, [null, 5], 'HTTP requests of be_owa per second');
	t.is(service('owa')?.sessions[1], 3);
	t.deepEqual(service('imap')?.requestsPerSecond, [null, 2], 'be_imap and be_imaps together; TCP counts sessions');
	t.truthy(service('rpc'), 'the three RPC backends are one service');
	t.falsy(service('imaps'));
	t.falsy(service('rpcClientAccess'));
	const cas1 = view.servers.find((entry) => entry.address === cas[0]);
	t.is(cas1?.requestsPerSecond[1], 7, 'CAS 1 over all its backends: 5 HTTP requests and 2 IMAP sessions per second');
	t.is(cas1?.sessions[1], 3 + (cas1?.sessions[0] ?? 0));
});

test('a counter that went down (a reload\'s new worker) counts from zero; haproxy not answering is a gap', async (t) => {
	const stats = parseStatTyped(await fixture('show-stat-typed.txt'));
	const config = captureConfig();
	const history = new TrafficHistory(10_000, 3_600_000);
	history.record(0, config, raised(stats, { 'be_owa/BACKEND': { req_tot: 1000 } }));
	history.record(10_000, config, raised(stats, { 'be_owa/BACKEND': { req_tot: 30 } }));
	history.record(20_000, config, null);
	history.record(30_000, config, stats);
	const owa = history.view().services.find((entry) => entry.service === 'owa');
	const base = Number(stats.find((object) => object.proxy === 'be_owa' && object.name === 'BACKEND')?.fields.get('req_tot'));
	t.deepEqual(owa?.requestsPerSecond, [null, (base + 30) / 10, null, null]);
	t.is(owa?.sessions[2], null);
});

test('only the last hour is kept', async (t) => {
	const history = new TrafficHistory(10_000, 3_600_000);
	const config = captureConfig();
	for (let time = 0; time <= 2 * 3_600_000; time += 10_000) history.record(time, config, null);
	t.is(history.samples.length, 361);
	t.is(history.samples[0]?.time, 3_600_000);
});

test('the sampler samples on its interval and turns a failed read into nothing but a log line', async (t) => {
	const stats = parseStatTyped(await fixture('show-stat-typed.txt'));
	const logs: string[] = [];
	let reads = 0;
	const sampler = startTrafficSampler(20, async () => {
		reads += 1;
		if (reads === 2) throw new Error('socket trouble');
		return { config: captureConfig(), stats };
	}, { log: (line) => logs.push(line) });
	t.teardown(() => sampler.stop());
	await waitFor('three samples', 5_000, () => sampler.history.samples.length >= 3, 10);
	t.deepEqual(logs, ['traffic history: a sample failed: socket trouble']);
});
