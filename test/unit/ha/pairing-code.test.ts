import test from 'ava';
import { newPairingCode, normalizePairingCode, offerAttempts, offerLifetimeMs, pairingCodeProblem, pairingProof, PairingOffers, proofMatches } from '../../../services/ha/pairing-code.js';

const primary = 'AA:'.repeat(31) + 'AA';
const secondary = 'BB:'.repeat(31) + 'BB';
const intruder = 'CC:'.repeat(31) + 'CC';

test('a code: 12 characters of Crockford\'s alphabet in three groups, typed back in any case, with look-alikes forgiven', (t) => {
	const code = newPairingCode();
	t.regex(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
	t.not(newPairingCode(), code);
	t.is(normalizePairingCode('7k3m-q9xa 2cde'), '7K3MQ9XA2CDE');
	t.is(normalizePairingCode('O1IL'), '0111');
	t.is(pairingCodeProblem(code.toLowerCase()), null);
	t.regex(pairingCodeProblem('1234')!, /is not a pairing code/);
	t.regex(pairingCodeProblem('UUUU-UUUU-UUUU')!, /is not a pairing code/, 'U is not in the alphabet');
});

test('a proof binds the code, the direction and both fingerprints (a node in the middle shows another one)', (t) => {
	const code = newPairingCode();
	const proof = pairingProof(code, 'request', primary, secondary);
	t.regex(proof, /^[0-9a-f]{64}$/);
	t.true(proofMatches(pairingProof(code.toLowerCase(), 'request', primary, secondary), proof));
	t.false(proofMatches(pairingProof(code, 'response', primary, secondary), proof), 'a request proof is no response proof');
	t.false(proofMatches(pairingProof(code, 'request', primary, intruder), proof), 'made for another certificate');
	t.false(proofMatches(pairingProof(newPairingCode(), 'request', primary, secondary), proof));
	t.false(proofMatches(proof, ''));
});

test('an offer: a wrong code uses an attempt, the last one ends it; the right one is used once', (t) => {
	const offers = new PairingOffers();
	const { code } = offers.create();
	const wrong = pairingProof(newPairingCode(), 'request', primary, secondary);
	t.like(offers.check(wrong, primary, secondary), { ok: false, reason: 'wrong-code', message: `wrong pairing code (${offerAttempts - 1} attempts left)` });
	t.like(offers.check(pairingProof(code, 'request', intruder, secondary), primary, secondary), { ok: false, reason: 'wrong-code' }, 'a proof for another primary');
	t.like(offers.check(pairingProof(code, 'request', primary, secondary), primary, secondary), { ok: true, code });
	t.like(offers.check(pairingProof(code, 'request', primary, secondary), primary, secondary), { ok: false, reason: 'no-offer' }, 'used once');
	const again = new PairingOffers();
	again.create();
	for (let attempt = 1; attempt < offerAttempts; attempt++) t.like(again.check(wrong, primary, secondary), { reason: 'wrong-code' });
	t.like(again.check(wrong, primary, secondary), { ok: false, message: 'wrong pairing code; that was the last attempt: make a new code on this node' });
	t.is(again.current(), null);
});

test('an offer expires after ten minutes; a new one replaces the old', (t) => {
	let now = 1_000_000;
	const offers = new PairingOffers(() => now);
	const first = offers.create();
	const second = offers.create();
	t.like(offers.check(pairingProof(first.code, 'request', primary, secondary), primary, secondary), { ok: false, reason: 'wrong-code' });
	now += offerLifetimeMs + 1;
	t.like(offers.check(pairingProof(second.code, 'request', primary, secondary), primary, secondary), { ok: false, reason: 'expired' });
	t.is(offers.current(), null);
});
