// An appliance service in a temp dir (EXLB_ROOT-style paths), with no daemons: the configuration checks run the
// image's haproxy/stunnel/keepalived, nothing is started. What the service tests and the engine tests build on.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NoDaemonsController } from '../../services/apply/no-daemons-controller.js';
import { AuditLog } from '../../services/appliance/audit-log.js';
import { ApplianceService, type ApplianceDeps } from '../../services/appliance/service.js';
import { noSystemControl } from '../../services/appliance/system-control.js';
import { appliancePaths } from '../../services/paths.js';
import { applianceRenderEnv } from '../../services/render/env.js';
import type { Actor } from '../../services/engine/protocol.js';

export const webActor: Actor = { user: 'admin', address: '192.0.2.10', via: 'web' };

export interface ServiceUnderTest {
	readonly service: ApplianceService;
	readonly deps: ApplianceDeps;
	/** What the no-systemd control was asked to do (reboot, power-off, unit actions). */
	readonly systemLog: string[];
}

export async function serviceUnderTest(overrides: Partial<ApplianceDeps> = {}): Promise<ServiceUnderTest> {
	const paths = appliancePaths(await mkdtemp(path.join(tmpdir(), 'exlb-service-')));
	const systemLog: string[] = [];
	const deps: ApplianceDeps = {
		apply: { paths, env: applianceRenderEnv(paths, 'eth0'), controller: new NoDaemonsController() },
		system: noSystemControl((line) => systemLog.push(line)),
		audit: new AuditLog(paths.auditLog, () => {}),
		release: { version: '9.9.9', buildDate: '2026-01-01' },
		accountFiles: [paths.adminPasswordFile, paths.apiTokensFile],
		lockWaitMs: 0,
		...overrides,
	};
	return { service: new ApplianceService(deps), deps, systemLog };
}
