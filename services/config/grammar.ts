// Strict grammars for every free-text value that reaches a rendered config file (host names, FQDNs,
// certificate names). Nothing outside these alphabets can reach haproxy/stunnel/keepalived/networkd,
// so no value can smuggle a newline, a quote, a '#' or a second directive into a file.

import { ipv4Problem } from './ipv4.js';

const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';

/** RFC 1123 host name: one or more dot-separated labels (letters, digits, inner hyphens), at most 253 characters. */
export const hostnamePattern = `^${label}(?:\\.${label})*$`;
/** Fully qualified domain name: at least two labels, the last one alphabetic (a top-level domain). */
export const fqdnPattern = `^(?:${label}\\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`;
/** Certificate names are file names under the cert dir: lower-case letters, digits, '-' and '_'. */
export const certNamePattern = '^[a-z0-9][a-z0-9_-]{0,31}$';

const hostnameRegex = new RegExp(hostnamePattern);
const fqdnRegex = new RegExp(fqdnPattern);
const certNameRegex = new RegExp(certNamePattern);

export function hostnameProblem(text: string): string | null {
	if (text === '') return 'a host name is required';
	if (text.length > 253 || !hostnameRegex.test(text)) {
		return `${JSON.stringify(text)} is not a host name (letters, digits and inner hyphens, dot-separated labels of 1-63 characters)`;
	}
	return null;
}

export function fqdnProblem(text: string): string | null {
	if (text === '') return 'a fully qualified domain name is required';
	if (text.length > 253 || !fqdnRegex.test(text)) {
		return `${JSON.stringify(text)} is not a fully qualified domain name (e.g. mail.example.com)`;
	}
	return null;
}

/**
 * A server given as an IPv4 address or a host name ('' = none): all-digit labels must form a valid address,
 * so "10.0.0.300" is refused instead of being taken for a name.
 */
export function hostProblem(text: string): string | null {
	if (text === '') return null;
	if (/^[0-9.]+$/.test(text)) return ipv4Problem(text);
	if (text.length > 253 || !hostnameRegex.test(text)) {
		return `${JSON.stringify(text)} is neither an IPv4 address nor a host name (letters, digits and inner hyphens, dot-separated labels)`;
	}
	return null;
}

export function certNameProblem(text: string): string | null {
	if (!certNameRegex.test(text)) return `${JSON.stringify(text)} is not a certificate name (a-z, 0-9, '-', '_', up to 32 characters)`;
	return null;
}

/** Time zones the appliance knows: the IANA names of the runtime's ICU data (the image's tzdata has them all). */
const timeZones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);

export function timezoneProblem(text: string): string | null {
	return timeZones.has(text) ? null : `${JSON.stringify(text)} is not a time zone (an IANA name such as Europe/Paris, or UTC)`;
}
