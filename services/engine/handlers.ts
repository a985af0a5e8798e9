// The engine's operations, each mapped onto the appliance service (or the auth store and the haproxy runtime
// layer): the whole surface the web server can reach. Parameters arrive checked against the protocol's schemas.
import type { ApplianceService } from '../appliance/service.js';
import type { Handlers } from './server.js';

/** The operations implemented outside the appliance service: web accounts and tokens, haproxy's runtime state. */
export type AuthHandlers = Pick<Handlers, 'auth.login' | 'auth.changePassword' | 'tokens.list' | 'tokens.create' | 'tokens.revoke' | 'tokens.verify'>;
export type RuntimeHandlers = Pick<Handlers, 'status.get' | 'status.history' | 'servers.setState'>;

export function engineHandlers(service: ApplianceService, auth: AuthHandlers, runtime: RuntimeHandlers): Handlers {
	return {
		...auth,
		...runtime,
		'config.get': (params) => service.getConfig(params.source),
		'config.diff': () => service.diff(),
		'config.check': (params) => service.check(params.patch),
		'config.patch': (params, actor) => service.patch(params, actor),
		'config.save': (_params, actor) => service.save(actor),
		'network.confirm': (params, actor) => service.confirmNetwork(params.serverAddress, actor),
		'certificates.list': async () => ({ certificates: await service.listCertificates() }),
		'certificates.import': (params, actor) => service.importCertificate(params, actor),
		'certificates.delete': async (params, actor) => {
			await service.deleteCertificate(params.name, actor);
			return {};
		},
		'certificates.csr': async (params, actor) => ({ csr: await service.makeCsr(params, actor) }),
		'services.list': () => service.listServices(),
		'services.control': (params, actor) => service.controlService(params.name, params.action, actor),
		'system.info': () => service.info(),
		'system.reboot': async (_params, actor) => {
			await service.reboot(actor);
			return {};
		},
		'system.powerOff': async (_params, actor) => {
			await service.powerOff(actor);
			return {};
		},
		'system.factoryReset': async (_params, actor) => {
			await service.factoryReset(actor, { reboot: true });
			return {};
		},
		'audit.list': (params) => service.auditEntries(params.limit),
	};
}
