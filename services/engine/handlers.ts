// The engine's operations, each mapped onto the appliance service (or the auth store and the haproxy runtime
// layer): the whole surface the web server can reach. Parameters arrive checked against the protocol's schemas.
import type { ApplianceService } from '../appliance/service.js';
import type { HaHandlers } from './ha-handlers.js';
import type { Handlers } from './server.js';

/** The operations implemented outside the appliance service: web accounts and tokens, haproxy's runtime state. */
export type AuthHandlers = Pick<Handlers, 'auth.login' | 'auth.changePassword' | 'tokens.list' | 'tokens.create' | 'tokens.revoke' | 'tokens.verify'>;
export type RuntimeHandlers = Pick<Handlers, 'status.get' | 'status.history' | 'servers.setState'>;

export function engineHandlers(service: ApplianceService, auth: AuthHandlers, runtime: RuntimeHandlers, ha: HaHandlers): Handlers {
	return {
		...auth,
		...runtime,
		...ha,
		'config.get': (params) => service.getConfig(params.source),
		'config.diff': () => service.diff(),
		'config.check': (params) => service.check(params.patch),
		'config.patch': (params, actor) => service.patch(params, actor),
		'config.save': (params, actor) => service.save(actor, params.comment),
		'history.list': () => service.listHistory(),
		'history.diff': (params) => service.diffRevisions(params.from, params.to),
		'history.revert': (params, actor) => service.revert(params, actor),
		'backup.create': (params, actor) => service.createBackup(params.password, actor),
		'backup.restore': (params, actor) => service.restore(params, actor),
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
		'system.factoryReset': async (params, actor) => {
			// "everything" needs the reboot (the data partition is re-created at boot); "configuration" is in force at once.
			await service.factoryReset(actor, { level: params.level, reboot: params.level === 'everything' });
			return {};
		},
		'audit.list': (params) => service.auditEntries(params.limit),
		'firmware.status': () => service.firmware.status(),
		'firmware.install': (params, actor, bundle) => service.firmware.install(bundle, { force: params.force === true }, actor),
		'firmware.bootPrevious': (_params, actor) => service.firmware.bootPrevious(actor),
	};
}
