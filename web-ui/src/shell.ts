// What every tab gets from the shell: the running configuration (with its ETag), the one way to change it (a
// merge patch, then the configuration and the pending-changes banner are read again), the banner's refresh, and the
// way back to the login page when the session has ended.
import type { Config } from '../../services/config/schema.js';
import type { FieldError } from './api.js';

export interface AppliedConfig {
	readonly config: Config;
	readonly etag: string;
	readonly warnings: readonly FieldError[];
	readonly pendingNetwork?: { readonly url: string; readonly deadline: string };
}

export interface Shell {
	readonly config: Config;
	readonly patch: (patch: unknown) => Promise<AppliedConfig>;
	readonly reloadConfig: () => Promise<void>;
	readonly refreshDiff: () => void;
	/** The session is over (a factory reset ended it): back to the login page. */
	readonly endSession: () => void;
}

export type { Config };
