// The engine's HA operations (services/engine/ha-operations.ts), each mapped onto the HA service (services/ha).
import type { HaService } from '../ha/ha-service.js';
import type { Handlers } from './server.js';

export type HaHandlers = Pick<Handlers, 'ha.status' | 'ha.offer' | 'ha.pair' | 'ha.unpair' | 'ha.sync' | 'ha.settings'>;

export function haHandlers(ha: HaService): HaHandlers {
	return {
		'ha.status': () => ha.status(),
		'ha.offer': (_params, actor) => ha.offer(actor),
		'ha.pair': (params, actor) => ha.pair(params, actor),
		'ha.unpair': (_params, actor) => ha.unpair(actor),
		'ha.sync': (_params, actor) => ha.syncNow(actor),
		'ha.settings': (params, actor) => ha.settings(params, actor),
	};
}
