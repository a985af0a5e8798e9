// The version tag of a configuration: the SHA-256 of its canonical text. A change made with If-Match against an
// older tag is refused (409), so two writers can never silently undo each other.
import { createHash } from 'node:crypto';
import type { Config } from './schema.js';
import { serializeConfig } from './store.js';

export function configEtag(config: Config): string {
	return `"${createHash('sha256').update(serializeConfig(config)).digest('hex').slice(0, 32)}"`;
}
