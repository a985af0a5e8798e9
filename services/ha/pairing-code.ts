// The one-time pairing code. The node that is to be the config secondary offers it (shown once, with its own
// certificate's fingerprint); the admin types it on the config primary. The code itself never crosses the network:
// each side proves it knows the code with an HMAC over both nodes' certificate fingerprints as each side sees them
// in the TLS handshake, so a machine in the middle (which would present its own certificate to one side) gets proofs
// that do not match, and cannot replay them. An offer lasts ten minutes, allows five wrong codes, and is used once.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read off a screen is typed right. */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 characters of 5 bits: 60 bits, against at most five guesses per offer. */
const codeLength = 12;
export const offerLifetimeMs = 10 * 60_000;
export const offerAttempts = 5;

/** A new code, grouped by four for reading: "7K3M-Q9XA-2CDE". */
export function newPairingCode(): string {
	const characters = Array.from({ length: codeLength }, () => alphabet[randomInt(alphabet.length)]!);
	return [0, 4, 8].map((start) => characters.slice(start, start + 4).join('')).join('-');
}

/** A typed code as the proofs use it: upper case, no separators, the look-alikes Crockford maps (O → 0, I/L → 1). */
export function normalizePairingCode(typed: string): string {
	return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** Whether `typed` can be a code at all (the API refuses anything else before a peer is contacted). */
export function pairingCodeProblem(typed: string): string | null {
	const code = normalizePairingCode(typed);
	if (code.length !== codeLength || [...code].some((character) => !alphabet.includes(character))) {
		return `is not a pairing code (12 letters and digits, e.g. 7K3M-Q9XA-2CDE, as the other node shows it)`;
	}
	return null;
}

export type ProofDirection = 'request' | 'response';

/** HMAC-SHA256 keyed by the code over the direction and both fingerprints (primary's first), hex. */
export function pairingProof(code: string, direction: ProofDirection, primaryFingerprint: string, secondaryFingerprint: string): string {
	return createHmac('sha256', normalizePairingCode(code)).update(`exlb-pair-v1|${direction}|${primaryFingerprint}|${secondaryFingerprint}`).digest('hex');
}

export function proofMatches(expected: string, given: string): boolean {
	const [a, b] = [Buffer.from(expected, 'hex'), Buffer.from(given, 'hex')];
	return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

export interface Offer {
	readonly code: string;
	readonly expiresAt: number;
	readonly attemptsLeft: number;
}

export type OfferCheck =
	| { readonly ok: true }
	| { readonly ok: false; readonly reason: 'no-offer' | 'expired' | 'wrong-code'; readonly message: string };

/** The offer waiting on this node (at most one: a new one replaces it), checked against proofs. */
export class PairingOffers {
	#offer: Offer | null = null;

	constructor(private readonly now: () => number = Date.now) {}

	create(): Offer {
		this.#offer = { code: newPairingCode(), expiresAt: this.now() + offerLifetimeMs, attemptsLeft: offerAttempts };
		return this.#offer;
	}

	/** The offer still valid, if any. */
	current(): Offer | null {
		if (this.#offer !== null && this.now() > this.#offer.expiresAt) this.#offer = null;
		return this.#offer;
	}

	cancel(): void {
		this.#offer = null;
	}

	/**
	 * Checks a primary's proof (made with the fingerprints as it saw them) against the offer's code and the
	 * fingerprints as this node sees them. A wrong proof uses an attempt; the last one ends the offer; a right one ends
	 * it too (used once). Returns the code on success, for the response's proof.
	 */
	check(proof: string, primaryFingerprint: string, ownFingerprint: string): OfferCheck & { code?: string } {
		const offer = this.#offer;
		if (offer === null) return { ok: false, reason: 'no-offer', message: 'this node offers no pairing now: choose "pair with a primary" on it first' };
		if (this.now() > offer.expiresAt) {
			this.#offer = null;
			return { ok: false, reason: 'expired', message: 'the pairing code expired (codes last 10 minutes): make a new one on this node' };
		}
		if (proofMatches(pairingProof(offer.code, 'request', primaryFingerprint, ownFingerprint), proof)) {
			this.#offer = null;
			return { ok: true, code: offer.code };
		}
		const attemptsLeft = offer.attemptsLeft - 1;
		this.#offer = attemptsLeft > 0 ? { ...offer, attemptsLeft } : null;
		return {
			ok: false, reason: 'wrong-code',
			message: attemptsLeft > 0 ? `wrong pairing code (${attemptsLeft} attempts left)` : 'wrong pairing code; that was the last attempt: make a new code on this node',
		};
	}
}
