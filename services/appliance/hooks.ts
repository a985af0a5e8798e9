// What the appliance service tells the rest of the engine (the HA pair, services/ha) and asks of it, without knowing
// it: each hook is optional and none can hold a change up (saved and serverStatesChanged return at once; problems
// answers from what is known already, never over the network).
import type { Config } from '../config/schema.js';
import type { ConfigIssue } from '../config/issues.js';
import type { Actor } from '../engine/protocol.js';
import type { RevisionMeta } from '../history/store.js';

export interface ServerStateChange {
	readonly address: string;
	readonly state: 'ready' | 'drain' | 'maint';
}

export interface ApplianceHooks {
	/** The saved configuration was written and kept in the history. */
	saved?(config: Config, revision: RevisionMeta, actor: Actor): void;
	/** Exchange servers' states changed (drain, maint, back to ready), by address. */
	serverStatesChanged?(changes: readonly ServerStateChange[], actor: Actor): void;
	/** Problems of a configuration about to be applied that only the pair can see (both nodes master). */
	problems?(config: Config): readonly ConfigIssue[];
}
