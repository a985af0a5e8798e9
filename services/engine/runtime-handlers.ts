// The load balancer's live state for the API: the services' units and, from haproxy's runtime socket, each
// backend's servers (the runtime layer lands in services/haproxy).
import { ApplianceProblem } from '../appliance/problems.js';
import type { ApplianceService } from '../appliance/service.js';
import type { RenderEnv } from '../render/env.js';
import type { RuntimeHandlers } from './handlers.js';

export function runtimeHandlers(service: ApplianceService, _env: RenderEnv): RuntimeHandlers {
	return {
		'status.get': async () => ({ services: (await service.listServices()).services }),
		'servers.setState': async () => {
			throw new ApplianceProblem('failed', 'server states are not available in this build');
		},
	};
}
