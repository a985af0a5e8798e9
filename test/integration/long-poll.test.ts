// Long polls and idle channels through the offload path (client → stunnel → haproxy → scripted CAS), all at once:
// an ActiveSync Ping, an EWS streaming wait and a MAPI NotificationWait answered after 90 s, an Outlook Anywhere
// RPC_OUT_DATA that sends its first PDU and then stays idle 5 minutes, and an RPC_IN_DATA whose client pauses
// 90 s inside its body: all complete, no 504, no reset, with http.timeout at its default 25 s. The same pause in an
// OWA request is cut (the short services keep a short client idle time). Bounded: about 5 minutes in all.
import test from 'ava';
import { startScriptedSite, type ScriptedSite } from './harness/scripted-site.js';
import { rawExchange, rawRequest, type RawResult } from './harness/raw-client.js';

const CAS = ['cas1', 'cas2'] as const;
const LONG_POLL_MS = 90_000;
const RPC_IDLE_MS = 300_000;
let scriptedSite: ScriptedSite;

test.before(async () => {
	scriptedSite = await startScriptedSite(CAS, ['be_owa', 'be_ews', 'be_mapi', 'be_activesync', 'be_outlookanywhere']);
});

test.after.always(async () => {
	await scriptedSite?.stop();
});

/** One request answered after `LONG_POLL_MS` by the CAS. */
const delayed = (method: string, target: string, body: string) => [
	{ send: rawRequest(method, target, { headers: { 'X-Test-Delay': String(LONG_POLL_MS) }, body }) },
	{ read: 'answer' },
];

/** A request whose client sends half its body, pauses `LONG_POLL_MS`, then sends the rest. */
const pausedBody = (method: string, target: string) => [
	{ send: rawRequest(method, target, { length: 200 }) + 'x'.repeat(100) },
	{ pause: LONG_POLL_MS },
	{ send: 'y'.repeat(100) },
	{ read: 'answer' },
];

const seconds = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

function completed(t: import('ava').ExecutionContext, name: string, result: RawResult, expectBody: RegExp): void {
	const answer = result.responses[0];
	t.is(result.error, null, `${name}: ${result.error}`);
	t.is(answer?.status, 200, `${name}: ${answer?.status} ${answer?.body}`);
	t.regex(answer?.body ?? '', expectBody, name);
	t.log(`${name}: head after ${seconds(answer?.headAtMs)}, complete after ${seconds(answer?.doneAtMs)} (${answer?.headers['x-backend']})`);
}

test('long polls and idle Outlook Anywhere channels outlive http.timeout through the offload path', async (t) => {
	t.timeout(RPC_IDLE_MS + 180_000);
	const deadline = RPC_IDLE_MS + 120_000;
	const { site, scripted } = scriptedSite;
	const [ping, ews, mapi, rpcOut, rpcIn, owa] = await Promise.all([
		rawExchange(site.lan, site.lb, 443, delayed('POST', '/Microsoft-Server-ActiveSync?Cmd=Ping&User=u1&DeviceId=d1&DeviceType=phone', '<Ping/>'), deadline),
		rawExchange(site.lan, site.lb, 443, delayed('POST', '/EWS/Exchange.asmx', '<GetStreamingEvents/>'), deadline),
		rawExchange(site.lan, site.lb, 443, delayed('POST', '/mapi/emsmdb/?MailboxId=u1@exlb.test', 'NotificationWait'), deadline),
		rawExchange(site.lan, site.lb, 443, [
			{ send: rawRequest('RPC_OUT_DATA', '/rpc/rpcproxy.dll?cas1.exlb.test:6001', { headers: { 'X-Test-Idle': String(RPC_IDLE_MS) }, body: 'c'.repeat(76) }) },
			{ read: 'channel' },
		], deadline),
		rawExchange(site.lan, site.lb, 443, pausedBody('RPC_IN_DATA', '/rpc/rpcproxy.dll?cas1.exlb.test:6001'), deadline),
		rawExchange(site.lan, site.lb, 443, pausedBody('POST', '/owa/service.svc'), deadline),
	]);
	completed(t, 'ActiveSync Ping', ping, new RegExp(`answered after ${LONG_POLL_MS} ms`));
	completed(t, 'EWS streaming wait', ews, new RegExp(`answered after ${LONG_POLL_MS} ms`));
	completed(t, 'MAPI NotificationWait', mapi, new RegExp(`answered after ${LONG_POLL_MS} ms`));
	completed(t, `RPC_OUT_DATA idle ${RPC_IDLE_MS / 1000} s`, rpcOut, new RegExp(`first PDU\\n.* RPC_OUT_DATA after ${RPC_IDLE_MS} ms idle\\n$`));
	const channel = rpcOut.responses[0];
	t.true(channel !== undefined && channel.headAtMs < 30_000, 'the channel opened at once (its header and first PDU were not held back)');
	completed(t, `RPC_IN_DATA with a ${LONG_POLL_MS / 1000} s pause in its body`, rpcIn, /received 200 bytes/);
	const owaAnswer = owa.responses[0];
	t.not(owaAnswer?.status, 200, `an OWA request paused ${LONG_POLL_MS / 1000} s is cut by http.timeout (got ${owaAnswer?.status ?? owa.error})`);
	t.log(`OWA with a ${LONG_POLL_MS / 1000} s pause in its body (cut after http.timeout, read when the client resumed): ${owaAnswer ? `${owaAnswer.status} after ${seconds(owaAnswer.doneAtMs)}` : `${owa.error} after ${seconds(owa.closedAtMs ?? undefined)}`}`);
	const events = CAS.flatMap((cas) => scripted[cas]!.events());
	t.is(events.filter((e) => e.event === 'rpc-out-last').length, 1, 'the CAS sent the end of the RPC_OUT_DATA answer');
	t.deepEqual(events.filter((e) => e.event === 'rpc-out-cut'), [], 'no RPC_OUT_DATA channel was cut');
	t.true(events.some((e) => e.event === 'request-cut' && e.path === '/owa/service.svc'), 'the CAS saw the OWA request cut');
});
