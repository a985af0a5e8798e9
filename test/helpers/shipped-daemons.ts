// The tests run haproxy, stunnel and keepalived from the built image's root file system, never the host's:
// test/shipped/bin holds links named after them (see appliance-daemon there), put first on PATH for every
// test worker by use-shipped-daemons.ts (ava's nodeArguments) and by the engine benchmark.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const shippedDaemonDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../shipped/bin');

/** The daemons the links stand for, with the Debian package each comes from. */
export const shippedDaemons = [
	{ command: 'haproxy', debianPackage: 'haproxy' },
	{ command: 'stunnel', debianPackage: 'stunnel4' },
	{ command: 'keepalived', debianPackage: 'keepalived' },
] as const;

/** PATH with the shipped daemons first (idempotent). */
export function pathWithShippedDaemons(current = process.env.PATH ?? ''): string {
	const rest = current.split(path.delimiter).filter((entry) => entry !== '' && entry !== shippedDaemonDir);
	return [shippedDaemonDir, ...rest].join(path.delimiter);
}
