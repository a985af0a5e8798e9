// NTLM/Negotiate bind the authentication to one server connection. Through the offload path (stunnel → haproxy),
// with Exchange 2013+ (no persistence at all, so only haproxy's private-connection marking can keep a client on
// its CAS): eight clients do an NTLM-style handshake at once (401 NTLM → type 1 → challenge → pause while the
// others go on → type 3) and each one's type 3 must reach the CAS and the server connection that issued its
// challenge (the scripted CAS checks its socket, as IIS does), on both CAS.
import test from 'ava';
import { startScriptedSite, type ScriptedSite } from './harness/scripted-site.js';
import { rawExchange, rawRequest, type RawResult } from './harness/raw-client.js';

const CAS = ['cas1', 'cas2'] as const;
const CLIENTS = 8;
let scriptedSite: ScriptedSite;

test.before(async () => {
	scriptedSite = await startScriptedSite(CAS, ['be_ews', 'be_mapi']);
});

test.after.always(async () => {
	await scriptedSite?.stop();
});

/** An NTLM type-1 (negotiate) message. */
const negotiate = () => {
	const message = Buffer.alloc(16);
	message.write('NTLMSSP\0', 0, 'latin1');
	message.writeUInt32LE(1, 8);
	message.writeUInt32LE(0x00088207, 12);
	return message.toString('base64');
};

function handshake(index: number): Promise<RawResult> {
	const target = index % 2 === 0 ? '/ews/exchange.asmx' : '/mapi/emsmdb/?MailboxId=user@exlb.test';
	const request = (authorization?: string) => rawRequest('POST', target, { headers: { 'X-Test-Ntlm': '1', ...(authorization ? { Authorization: authorization } : {}) }, body: `client ${index}` });
	const { site } = scriptedSite;
	return rawExchange(site.lan, site.lb, 443, [
		{ send: request() }, { read: 'anonymous' },
		{ send: request(`NTLM ${negotiate()}`) }, { read: 'challenge' },
		// The other clients' requests go through while this one holds its challenge.
		{ pause: 300 + 150 * index },
		{ send: request('NTLM {ntlm-authenticate}') }, { read: 'authenticated' },
	], 30_000);
}

test('each client\'s NTLM handshake stays on the CAS and the server connection that issued its challenge, on both CAS', async (t) => {
	const results = await Promise.all(Array.from({ length: CLIENTS }, (_, index) => handshake(index)));
	const casSeen = new Set<string>();
	for (const [index, result] of results.entries()) {
		t.is(result.error, null, `client ${index}: ${result.error}`);
		const [anonymous, challenge, authenticated] = result.responses;
		t.is(anonymous?.status, 401, `client ${index}: the first request is refused`);
		t.regex(anonymous?.headers['www-authenticate'] ?? '', /NTLM.*Negotiate/);
		t.is(challenge?.status, 401);
		t.regex(challenge?.headers['www-authenticate'] ?? '', /^NTLM [A-Za-z0-9+/=]+$/);
		t.is(authenticated?.status, 200, `client ${index}: ${authenticated?.body}`);
		const where = result.responses.map((r) => `${r.headers['x-backend']}#${r.headers['x-server-socket']}`);
		t.is(new Set(where).size, 1, `client ${index}: every step on one CAS connection, got ${where.join(' ')}`);
		casSeen.add(String(authenticated?.headers['x-backend']));
		t.log(`client ${index}: ${where[0]} (${result.responses.map((r) => r.status).join(', ')})`);
	}
	t.deepEqual([...casSeen].sort(), [...CAS], 'handshakes on both CAS');
	const checks = CAS.flatMap((cas) => scriptedSite.scripted[cas]!.events().filter((e) => e.event === 'ntlm-authenticate'));
	t.is(checks.length, CLIENTS);
	t.true(checks.every((e) => e.sameConnection === true), 'the CAS saw every type 3 on the connection that got the challenge');
});
